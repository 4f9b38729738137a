/**
 * A minimal WebSocket server speaking Slack's Socket Mode envelope protocol, enough to drive the real
 * SocketModeReceiver: hello on connect, envelopes out, acks in, pong for ping, close handshake.
 * (No WebSocket server package is installed; the framing below is RFC 6455's, unmasked server → client.)
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const header =
    len < 126
      ? Buffer.from([0x80 | opcode, len])
      : len < 65536
        ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff])
        : (() => {
            const h = Buffer.alloc(10);
            h[0] = 0x80 | opcode;
            h[1] = 127;
            h.writeBigUInt64BE(BigInt(len), 2);
            return h;
          })();
  return Buffer.concat([header, payload]);
}

export class FakeSocketMode {
  /** Parsed text messages the client sent (acks). */
  readonly received: Array<Record<string, unknown>> = [];
  private server: Server | null = null;
  private socket: Duplex | null = null;
  private buffer = Buffer.alloc(0);
  private connectedResolve: (() => void) | null = null;
  readonly connected = new Promise<void>((resolve) => {
    this.connectedResolve = resolve;
  });

  async start(): Promise<void> {
    this.server = createServer((_req, res) => res.writeHead(404).end());
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex) => this.upgrade(req, socket));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server?.address() as AddressInfo | undefined)?.port}/link`;
  }

  /** Sends one Socket Mode envelope. */
  send(message: Record<string, unknown>): void {
    this.socket?.write(frame(0x1, Buffer.from(JSON.stringify(message))));
  }

  async waitForAck(envelopeId: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ack = this.received.find((m) => m.envelope_id === envelopeId);
      if (ack) return ack;
      if (Date.now() > deadline) throw new Error(`no ack for ${envelopeId}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  private upgrade(req: IncomingMessage, socket: Duplex): void {
    const key = String(req.headers['sec-websocket-key']);
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {});
    this.send({
      type: 'hello',
      num_connections: 1,
      debug_info: { host: 'fake' },
      connection_info: { app_id: 'A1' },
    });
    this.connectedResolve?.();
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      const opcode = (b[0] as number) & 0x0f;
      const masked = ((b[1] as number) & 0x80) !== 0;
      let len = (b[1] as number) & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      const maskLen = masked ? 4 : 0;
      if (b.length < offset + maskLen + len) return;
      const mask = b.subarray(offset, offset + maskLen);
      const payload = Buffer.from(b.subarray(offset + maskLen, offset + maskLen + len));
      if (masked)
        for (let i = 0; i < payload.length; i++)
          payload[i] = (payload[i] as number) ^ (mask[i % 4] as number);
      this.buffer = b.subarray(offset + maskLen + len);
      if (opcode === 0x1) this.received.push(JSON.parse(payload.toString('utf8')) as Record<string, unknown>);
      else if (opcode === 0x9) this.socket?.write(frame(0xa, payload));
      else if (opcode === 0x8) {
        this.socket?.write(frame(0x8, payload.subarray(0, 2)));
        this.socket?.end();
      }
    }
  }
}
