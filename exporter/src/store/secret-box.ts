import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { AuditKeyRing } from '../registry/audit-chain.js';

/**
 * Secrets at rest (webhook signing secrets): AES-256-GCM, with a key derived by HKDF-SHA256
 * from the audit key ring (auth/audit-keys.ts) — key material that lives outside the database,
 * so a copy of the database alone does not give the secrets away.
 *
 * Stored form: `enc:v1:<audit key id>:<iv>:<tag>:<ciphertext>` (base64url parts, 12-byte random
 * IV, 16-byte tag). The key id says which key of the ring encrypted it, so rotation works as for
 * the audit chain: old rows decrypt with their retired key, and the start-up pass
 * (`sealPlaintextSecrets`) re-encrypts them under the current one. A value without the prefix is
 * a plaintext row from before migration 008, read as is until that pass seals it.
 */
const PREFIX = 'enc:v1:';
const INFO = 'modelwatch webhook secret v1';

export class SecretBox {
  private readonly derived = new Map<string, Buffer>();

  constructor(private readonly ring: AuditKeyRing) {}

  private keyFor(id: string): Buffer {
    let key = this.derived.get(id);
    if (!key) {
      const material = id === this.ring.current.id ? this.ring.current.secret : this.ring.get(id);
      if (!material) throw new Error(`a stored secret was encrypted with audit key ${id}, which is not in the key ring`);
      key = Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), INFO, 32));
      this.derived.set(id, key);
    }
    return key;
  }

  seal(plaintext: string): string {
    const id = this.ring.current.id;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(id), iv);
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${id}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${ct.toString('base64url')}`;
  }

  /** The plaintext of a stored value; throws when it was altered or its key is gone. */
  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const [id, iv, tag, ct] = stored.slice(PREFIX.length).split(':');
    const decipher = createDecipheriv('aes-256-gcm', this.keyFor(id), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** True when `stored` is sealed under the current key (nothing for the start-up pass to do). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${PREFIX}${this.ring.current.id}:`);
  }
}
