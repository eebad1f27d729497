// The client half of node-opcua, loaded through node-opcua's own dependency tree.
//
// `import "node-opcua"` loads the whole SDK (server, address space, nodesets) and costs about
// 5 s of CPU per process on the CI machine; client.mjs and bench-client.mjs are started once per
// test step, so they load only the packages they use (about 2.4 s). Resolving them relative to
// node-opcua's entry point keeps node-opcua (package.json) the only declared dependency and
// guarantees the very copies that node-opcua itself uses.

import { createRequire } from "node:module";

const requireFromNodeOpcua = createRequire(import.meta.resolve("node-opcua"));

/** node-opcua-client: OPCUAClient, ClientSubscription, DataType, Variant, NodeId, ... */
export const opcua = requireFromNodeOpcua("node-opcua-client");

/** OPCUACertificateManager, to keep the client's PKI in a folder we choose. */
export const { OPCUACertificateManager } = requireFromNodeOpcua("node-opcua-certificate-manager");

/** require() relative to node-opcua, for the few internals server.mjs needs. */
export { requireFromNodeOpcua };
