// QR codes of e-licenses: the certhub:1 payload and its SVG/PNG images.
export * from './errors';
export * from './payload';
export * from './render';
