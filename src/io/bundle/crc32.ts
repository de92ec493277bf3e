/**
 * CRC-32 (IEEE 802.3, the zip/PNG one: reflected polynomial 0xEDB88320, initial and final XOR
 * 0xFFFFFFFF). Synchronous, so reading a bundle stays synchronous; it catches every burst error up to
 * 32 bits and all but 1 in 4 billion random corruptions, which is what a file check needs (it is no
 * protection against tampering, and is not meant to be).
 */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
