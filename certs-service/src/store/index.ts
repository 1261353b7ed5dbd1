// Public surface of this area; filled in by its module files.
export {};
