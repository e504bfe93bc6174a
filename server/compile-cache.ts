import module from 'node:module';

/**
 * Node's on-disk compile cache (in the OS temp dir, or NODE_COMPILE_CACHE): each process
 * otherwise strips the types of and compiles some 400 modules again, a quarter of a CLI
 * command's start. A cache that cannot be written (a read-only disk) is skipped by Node.
 */
module.enableCompileCache?.();
