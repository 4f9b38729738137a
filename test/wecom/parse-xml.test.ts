import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors/index.js';
import { parseWecomXml } from '../../src/wecom/parse-xml.js';

describe('parseWecomXml', () => {
  it('reads CDATA and plain fields as strings, keeping 64-bit MsgIds exact', () => {
    const fields = parseWecomXml(
      '<xml><FromUserName><![CDATA[zhangsan]]></FromUserName><MsgId>1234567890123456789</MsgId><Content><![CDATA[a &amp; <b>]]></Content><X>a &amp; b &#x4e2d;</X></xml>',
    );
    assert.equal(fields.FromUserName, 'zhangsan');
    assert.equal(fields.MsgId, '1234567890123456789');
    assert.equal(fields.Content, 'a &amp; <b>', 'CDATA is literal');
    assert.equal(fields.X, 'a & b 中', 'predefined and numeric references are decoded');
  });

  it('rejects DOCTYPE and ENTITY declarations (XXE, billion laughs)', () => {
    const attacks = [
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>',
      `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><xml><A>&lol2;</A></xml>`,
      '<!doctype xml><xml><A>1</A></xml>',
      '<xml><!ENTITY a "b"><A>1</A></xml>',
    ];
    for (const xml of attacks) assert.throws(() => parseWecomXml(xml), InputError, xml);
  });

  it('leaves unknown entity references unexpanded', () => {
    assert.equal(parseWecomXml('<xml><A>&lol;</A></xml>').A, '&lol;');
  });

  it('rejects malformed, empty, oversized and rootless input', () => {
    for (const xml of [
      '',
      'hello',
      '<xml><A>1</xml>',
      '<xml><A>1</A>',
      '<other><A>1</A></other>',
      `<xml><A>${'a'.repeat(70_000)}</A></xml>`,
    ]) {
      assert.throws(() => parseWecomXml(xml), InputError, xml.slice(0, 40));
    }
  });
});
