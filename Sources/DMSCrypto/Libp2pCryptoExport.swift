// Keys, signatures and peer IDs are libp2p's and live below both the DMS and the libp2p stack; the DMS
// identity layer uses them as its own.
@_exported import Libp2pCrypto
