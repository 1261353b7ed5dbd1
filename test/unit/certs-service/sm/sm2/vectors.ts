// GM/T 0003.5-2012 / GB/T 32918.5-2017 Annex A: SM2 signature on the recommended curve, as reproduced in
// OpenSSL's test/sm2_internal_test.c and /work/shared/SM-VECTORS.md.
export const STANDARD_SIGNATURE_EXAMPLE = {
  d: '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8',
  publicX: '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020',
  publicY: 'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
  id: '1234567812345678',
  message: 'message digest',
  z: 'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3',
  e: 'f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640',
  k: '59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21',
  r: 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3',
  s: 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
} as const;

/** The order n of the SM2 recommended curve (GB/T 32918.5), for building out-of-range signatures. */
export const SM2_ORDER_HEX = 'fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123';

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}
