import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { Request, Response } from 'express';
import { AckGate } from '../../src/internal/AckGate.js';

/** Enough of an Express response for the middleware: it only listens for finish/close. */
function fakeResponse(): Response & EventEmitter {
  return new EventEmitter() as Response & EventEmitter;
}

describe('AckGate', () => {
  it('is open when no Slack request was seen (Socket Mode)', async () => {
    const gate = new AckGate(10, 1000);
    const started = Date.now();
    await gate.idle();
    assert.ok(Date.now() - started < 5);
  });

  it('holds answering work until pending requests are answered and arrivals are quiet', async () => {
    const gate = new AckGate(10, 5000);
    const middleware = gate.middleware();
    const responses = [fakeResponse(), fakeResponse()];
    for (const res of responses) middleware({} as Request, res, () => {});
    assert.equal(gate.waiting, 2);
    let opened = false;
    const waiting = gate.idle().then(() => {
      opened = true;
    });
    responses[0]?.emit('finish');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(opened, false, 'one request still waits for its ack');
    responses[1]?.emit('close');
    responses[1]?.emit('finish');
    assert.equal(gate.waiting, 0, 'finish after close is not counted twice');
    await waiting;
    assert.equal(opened, true);
  });

  it('never waits longer than maxWaitMs (sustained traffic cannot starve answers)', async () => {
    const gate = new AckGate(10, 50);
    gate.middleware()({} as Request, fakeResponse(), () => {});
    const started = Date.now();
    await gate.idle();
    const waited = Date.now() - started;
    assert.ok(waited >= 45 && waited < 500, `waited ${waited} ms`);
  });
});
