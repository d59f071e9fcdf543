import { describe, expect, it } from 'vitest';
import {
  DecryptionError,
  decrypt,
  ENVELOPE_PREFIX,
  encrypt,
  generateKey,
  makeKeyring,
  parseKey,
  sealedWith,
} from '@/server/privacy/encryption';

const A = generateKey();
const B = generateKey();

describe('data encryption (AES-256-GCM envelopes)', () => {
  it.each(['felt right', '', 'ünïcødé ✓ 🏋️', 'x'.repeat(5000), 'enc:v1:looks-like-an-envelope'])(
    'round-trips %j',
    (plain) => {
      const ring = makeKeyring(A);
      const sealed = encrypt(plain, ring);
      expect(sealed.startsWith(`${ENVELOPE_PREFIX}${ring.current.id}:`)).toBe(true);
      if (plain.length > 3) expect(sealed).not.toContain(plain);
      expect(decrypt(sealed, ring)).toBe(plain);
    },
  );

  it('seals the same text differently every time (fresh IV)', () => {
    const ring = makeKeyring(A);
    expect(encrypt('same', ring)).not.toBe(encrypt('same', ring));
  });

  it('names the key that sealed a value, and opens it with a previous key after rotation', () => {
    const old = makeKeyring(A);
    const sealed = encrypt('before rotation', old);
    expect(sealedWith(sealed)).toBe(old.current.id);
    const rotated = makeKeyring(B, [A]);
    expect(decrypt(sealed, rotated)).toBe('before rotation');
    expect(sealedWith(encrypt('after', rotated))).toBe(rotated.current.id);
  });

  it('refuses a value sealed with a key it does not hold, naming the key', () => {
    const sealed = encrypt('secret', makeKeyring(A));
    expect(() => decrypt(sealed, makeKeyring(B))).toThrow(DecryptionError);
    expect(() => decrypt(sealed, makeKeyring(B))).toThrow(parseKey(A).id);
  });

  it.each([
    ['a flipped ciphertext byte', (s: string) => s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1)],
    [
      'a swapped tag',
      (s: string) =>
        s
          .split(':')
          .map((p, i) => (i === 4 ? 'AAAAAAAAAAAAAAAAAAAAAA' : p))
          .join(':'),
    ],
    ['a missing part', (s: string) => s.split(':').slice(0, 5).join(':')],
  ])('detects tampering: %s', (_what, tamper) => {
    const ring = makeKeyring(A);
    expect(() => decrypt(tamper(encrypt('do not touch', ring)), ring)).toThrow(DecryptionError);
  });

  it('passes plain text written before encryption through (keys:rotate seals it)', () => {
    expect(decrypt('legacy note', makeKeyring(A))).toBe('legacy note');
    expect(sealedWith('legacy note')).toBeNull();
  });

  it.each([
    ['too short', Buffer.alloc(16, 0xff).toString('base64')],
    ['too long', Buffer.alloc(48, 0xff).toString('base64')],
    ['not base64', 'this is not a key at all, not even close!!!!'],
    ['hex of the wrong length', 'ab'.repeat(31)],
  ])('rejects a key that is %s', (_what, key) => {
    expect(() => parseKey(key)).toThrow(/32 random bytes/);
  });

  it('accepts hex keys and derives a stable id that is not the key', () => {
    const hex = Buffer.from(A, 'base64').toString('hex');
    expect(parseKey(hex).id).toBe(parseKey(A).id);
    expect(A).not.toContain(parseKey(A).id);
  });
});
