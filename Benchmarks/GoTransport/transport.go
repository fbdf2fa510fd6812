// Go baseline for the libp2p data path:
//
//	TCP -> multistream-select "/noise" -> Noise XX (libp2p payload)
//	    -> multistream-select "/yamux/1.0.0" -> yamux -> stream + mss "/bench/1.0.0"
//
// Built in GOPATH mode against Debian's golang-github-flynn-noise-dev (the
// Noise library used by go-libp2p), golang-github-hashicorp-yamux-dev (the
// ancestor of go-yamux) and golang-golang-x-crypto-dev. See README.md.
package main

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"sort"
	"sync"
	"syscall"
	"time"

	"github.com/flynn/noise"
	"github.com/hashicorp/yamux"
	"golang.org/x/crypto/chacha20poly1305"
)

const (
	protoMSS   = "/multistream/1.0.0"
	protoNoise = "/noise"
	protoYamux = "/yamux/1.0.0"
	protoBench = "/bench/1.0.0"
	protoEcho  = "/bench/echo/1.0.0" // setup benchmark: the listener echoes what it reads

	setupPayload = 32 // bytes sent and echoed on the first stream of each timed setup

	// libp2p noise spec: max Noise message 65535 bytes; 16-byte Poly1305 tag.
	maxCiphertext = 65535
	maxPlaintext  = maxCiphertext - chacha20poly1305.Overhead // 65519

	sigPrefix = "noise-libp2p-static-key:"
)

var cipherSuite = noise.NewCipherSuite(noise.DH25519, noise.CipherChaChaPoly, noise.HashSHA256)

// ---------------------------------------------------------------------------
// multistream-select 1.0: uvarint(len(text)+1) || text || '\n'

func mssEncode(buf []byte, protos ...string) []byte {
	var tmp [binary.MaxVarintLen64]byte
	for _, p := range protos {
		n := binary.PutUvarint(tmp[:], uint64(len(p)+1))
		buf = append(buf, tmp[:n]...)
		buf = append(buf, p...)
		buf = append(buf, '\n')
	}
	return buf
}

// mssRead reads exactly one mss message (byte-exact: it never reads past it).
func mssRead(r io.Reader) (string, error) {
	var b [1]byte
	var l uint64
	for shift := uint(0); ; shift += 7 {
		if shift > 63 {
			return "", errors.New("mss: varint overflow")
		}
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return "", err
		}
		l |= uint64(b[0]&0x7f) << shift
		if b[0] < 0x80 {
			break
		}
	}
	if l == 0 || l > 1024 {
		return "", fmt.Errorf("mss: bad message length %d", l)
	}
	msg := make([]byte, l)
	if _, err := io.ReadFull(r, msg); err != nil {
		return "", err
	}
	if msg[l-1] != '\n' {
		return "", errors.New("mss: message not newline-terminated")
	}
	return string(msg[:l-1]), nil
}

func mssExpect(r io.Reader, want string) error {
	got, err := mssRead(r)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("mss: expected %q, got %q", want, got)
	}
	return nil
}

// mssSelect is the dialer side: header and proposal in one write (as
// go-multistream's SelectProtoOrFail does), then read header and echo.
func mssSelect(rw io.ReadWriter, proto string) error {
	if _, err := rw.Write(mssEncode(nil, protoMSS, proto)); err != nil {
		return err
	}
	if err := mssExpect(rw, protoMSS); err != nil {
		return err
	}
	return mssExpect(rw, proto)
}

// mssHandle is the listener side: read header + proposal, reply with header
// and echo in one write. Anything other than `proto` gets "na".
func mssHandle(rw io.ReadWriter, proto string) error {
	_, err := mssHandleAny(rw, proto)
	return err
}

// mssHandleAny is mssHandle for several protocols; it returns the agreed one.
func mssHandleAny(rw io.ReadWriter, protos ...string) (string, error) {
	if err := mssExpect(rw, protoMSS); err != nil {
		return "", err
	}
	for {
		got, err := mssRead(rw)
		if err != nil {
			return "", err
		}
		for _, proto := range protos {
			if got == proto {
				_, err = rw.Write(mssEncode(nil, protoMSS, proto))
				return proto, err
			}
		}
		if _, err := rw.Write(mssEncode(nil, protoMSS, "na")); err != nil {
			return "", err
		}
	}
}

// ---------------------------------------------------------------------------
// Minimal protobuf for libp2p PublicKey and NoiseHandshakePayload.

func pbAppendVarint(b []byte, v uint64) []byte {
	return binary.AppendUvarint(b, v)
}

func pbAppendBytes(b []byte, field int, data []byte) []byte {
	b = pbAppendVarint(b, uint64(field<<3|2))
	b = pbAppendVarint(b, uint64(len(data)))
	return append(b, data...)
}

// pbFields parses a message into field -> last value (bytes for wire type 2,
// varint encoded as uint64 for wire type 0). Unknown fields are kept too.
type pbField struct {
	varint uint64
	bytes  []byte
	all    [][]byte // every value of a repeated length-delimited field, in order
}

func pbParse(b []byte) (map[int]pbField, error) {
	out := map[int]pbField{}
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errors.New("pb: bad key")
		}
		b = b[n:]
		field, wt := int(key>>3), key&7
		switch wt {
		case 0:
			v, n := binary.Uvarint(b)
			if n <= 0 {
				return nil, errors.New("pb: bad varint")
			}
			b = b[n:]
			out[field] = pbField{varint: v}
		case 2:
			l, n := binary.Uvarint(b)
			if n <= 0 || uint64(len(b)-n) < l {
				return nil, errors.New("pb: bad length")
			}
			value := b[n : n+int(l)]
			out[field] = pbField{bytes: value, all: append(out[field].all, value)}
			b = b[n+int(l):]
		case 1:
			if len(b) < 8 {
				return nil, errors.New("pb: short fixed64")
			}
			b = b[8:]
		case 5:
			if len(b) < 4 {
				return nil, errors.New("pb: short fixed32")
			}
			b = b[4:]
		default:
			return nil, fmt.Errorf("pb: unsupported wire type %d", wt)
		}
	}
	return out, nil
}

const keyTypeEd25519 = 1 // libp2p crypto.pb KeyType: RSA=0, Ed25519=1, Secp256k1=2, ECDSA=3

func marshalPublicKey(pub ed25519.PublicKey) []byte {
	b := []byte{0x08, keyTypeEd25519} // field 1 (Type), varint
	return pbAppendBytes(b, 2, pub)   // field 2 (Data)
}

func unmarshalPublicKey(b []byte) (ed25519.PublicKey, error) {
	f, err := pbParse(b)
	if err != nil {
		return nil, err
	}
	t, ok := f[1]
	if !ok || t.varint != keyTypeEd25519 {
		return nil, fmt.Errorf("noise: unsupported identity key type %d", t.varint)
	}
	d := f[2].bytes
	if len(d) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("noise: bad ed25519 key length %d", len(d))
	}
	return ed25519.PublicKey(d), nil
}

// ---------------------------------------------------------------------------
// Identity + Noise handshake

type identity struct {
	edPriv    ed25519.PrivateKey
	edPub     ed25519.PublicKey
	static    noise.DHKey // X25519 static key, generated once per process
	tamperSig bool        // selftest hook: send a corrupted identity_sig
}

func newIdentity() *identity {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	must(err)
	st, err := noise.DH25519.GenerateKeypair(rand.Reader)
	must(err)
	return &identity{edPriv: priv, edPub: pub, static: st}
}

// earlyMuxer: announce yamux in the handshake payload's extensions and, when
// the peer announces it too, skip the muxer's multistream round trip, as
// go-libp2p does by default since v0.24 (and the Swift host does).
var earlyMuxer = flag.Bool("early-muxer", true, "agree on yamux inside the Noise handshake (go-libp2p's default); false: a multistream round trip after it")

func (id *identity) payload() []byte {
	sig := ed25519.Sign(id.edPriv, append([]byte(sigPrefix), id.static.Public...))
	if id.tamperSig {
		sig[0] ^= 0x01
	}
	b := pbAppendBytes(nil, 1, marshalPublicKey(id.edPub)) // identity_key
	b = pbAppendBytes(b, 2, sig)                           // identity_sig
	if *earlyMuxer {
		// extensions (NoiseExtensions): stream_muxers = 2
		b = pbAppendBytes(b, 4, pbAppendBytes(nil, 2, []byte(protoYamux)))
	}
	return b
}

// announcesYamux: the payload's extensions list yamux among its stream muxers.
func announcesYamux(payload []byte) bool {
	f, err := pbParse(payload)
	if err != nil {
		return false
	}
	ext, err := pbParse(f[4].bytes)
	if err != nil {
		return false
	}
	for _, muxer := range ext[2].all {
		if string(muxer) == protoYamux {
			return true
		}
	}
	return false
}

// verifyPayload checks the remote NoiseHandshakePayload against the remote
// X25519 static key learned in the handshake; returns the identity key.
func verifyPayload(payload, remoteStatic []byte) (ed25519.PublicKey, error) {
	f, err := pbParse(payload)
	if err != nil {
		return nil, err
	}
	pub, err := unmarshalPublicKey(f[1].bytes)
	if err != nil {
		return nil, err
	}
	sig := f[2].bytes
	if len(sig) != ed25519.SignatureSize {
		return nil, errors.New("noise: missing/short identity_sig")
	}
	if len(remoteStatic) != 32 {
		return nil, errors.New("noise: no remote static key")
	}
	if !ed25519.Verify(pub, append([]byte(sigPrefix), remoteStatic...), sig) {
		return nil, errors.New("noise: identity signature verification failed")
	}
	return pub, nil
}

// bufConn is the raw TCP conn with a read buffer (go-libp2p's noise session
// also reads the insecure conn through a bufio.Reader). mss on the raw conn
// and the Noise frames both read through it.
type bufConn struct {
	net.Conn
	br *bufio.Reader
}

func (c *bufConn) Read(b []byte) (int, error) { return c.br.Read(b) }

func writeFrame(w io.Writer, msg []byte) error {
	if len(msg) > maxCiphertext {
		return errors.New("noise: frame too large")
	}
	buf := make([]byte, 2+len(msg))
	binary.BigEndian.PutUint16(buf, uint16(len(msg)))
	copy(buf[2:], msg)
	_, err := w.Write(buf)
	return err
}

func readFrame(r io.Reader, buf []byte) ([]byte, error) {
	var lb [2]byte
	if _, err := io.ReadFull(r, lb[:]); err != nil {
		return nil, err
	}
	l := int(binary.BigEndian.Uint16(lb[:]))
	if cap(buf) < l {
		buf = make([]byte, l)
	}
	buf = buf[:l]
	_, err := io.ReadFull(r, buf)
	return buf, err
}

// noiseHandshake runs Noise XX with the libp2p payload. Message 1 carries an
// empty payload; message 2 the responder's payload; message 3 the initiator's.
func noiseHandshake(c *bufConn, id *identity, initiator bool, expectRemote ed25519.PublicKey) (*noiseConn, ed25519.PublicKey, error) {
	hs, err := noise.NewHandshakeState(noise.Config{
		CipherSuite:   cipherSuite,
		Random:        rand.Reader,
		Pattern:       noise.HandshakeXX,
		Initiator:     initiator,
		Prologue:      nil,
		StaticKeypair: id.static,
	})
	if err != nil {
		return nil, nil, err
	}
	var enc, dec *noise.CipherState
	var remote ed25519.PublicKey
	var early bool
	rbuf := make([]byte, 0, 1024)
	check := func(payload []byte) error {
		pub, err := verifyPayload(payload, hs.PeerStatic())
		if err != nil {
			return err
		}
		if expectRemote != nil && !bytes.Equal(pub, expectRemote) {
			return errors.New("noise: remote identity is not the expected peer")
		}
		remote = pub
		early = *earlyMuxer && announcesYamux(payload)
		return nil
	}
	if initiator {
		// -> e
		msg, _, _, err := hs.WriteMessage(nil, nil)
		if err != nil {
			return nil, nil, err
		}
		if err := writeFrame(c, msg); err != nil {
			return nil, nil, err
		}
		// <- e, ee, s, es + payload
		in, err := readFrame(c, rbuf)
		if err != nil {
			return nil, nil, err
		}
		pl, _, _, err := hs.ReadMessage(nil, in)
		if err != nil {
			return nil, nil, err
		}
		if err := check(pl); err != nil {
			return nil, nil, err
		}
		// -> s, se + payload
		msg, cs1, cs2, err := hs.WriteMessage(nil, id.payload())
		if err != nil {
			return nil, nil, err
		}
		if err := writeFrame(c, msg); err != nil {
			return nil, nil, err
		}
		enc, dec = cs1, cs2
	} else {
		in, err := readFrame(c, rbuf)
		if err != nil {
			return nil, nil, err
		}
		if _, _, _, err := hs.ReadMessage(nil, in); err != nil {
			return nil, nil, err
		}
		msg, _, _, err := hs.WriteMessage(nil, id.payload())
		if err != nil {
			return nil, nil, err
		}
		if err := writeFrame(c, msg); err != nil {
			return nil, nil, err
		}
		in, err = readFrame(c, rbuf)
		if err != nil {
			return nil, nil, err
		}
		pl, cs1, cs2, err := hs.ReadMessage(nil, in)
		if err != nil {
			return nil, nil, err
		}
		if err := check(pl); err != nil {
			return nil, nil, err
		}
		enc, dec = cs2, cs1
	}
	if enc == nil || dec == nil {
		return nil, nil, errors.New("noise: handshake did not complete")
	}
	return &noiseConn{
		bufConn:    c,
		enc:        enc,
		dec:        dec,
		earlyMuxer: early,
	}, remote, nil
}

// noiseConn is a net.Conn carrying Noise transport messages framed as
// u16 BE length || ciphertext, plaintext chunks <= 65519 bytes (one write
// syscall per frame, as go-libp2p's secure session does).
type noiseConn struct {
	*bufConn
	enc, dec   *noise.CipherState
	earlyMuxer bool // both payloads announced yamux: no multistream for the muxer

	wmu  sync.Mutex
	wbuf []byte

	rmu    sync.Mutex
	rbuf   []byte // ciphertext
	qstore []byte // decrypted data that did not fit the caller's buffer
	q      []byte
}

func (c *noiseConn) Write(b []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	written := 0
	for len(b) > 0 {
		n := len(b)
		if n > maxPlaintext {
			n = maxPlaintext
		}
		if need := 2 + n + chacha20poly1305.Overhead; cap(c.wbuf) < need {
			c.wbuf = make([]byte, need) // grows on demand (small during setup)
		}
		out, err := c.enc.Encrypt(c.wbuf[:2], nil, b[:n])
		if err != nil {
			return written, err
		}
		binary.BigEndian.PutUint16(out, uint16(len(out)-2))
		if _, err := c.bufConn.Conn.Write(out); err != nil {
			return written, err
		}
		written += n
		b = b[n:]
	}
	return written, nil
}

func (c *noiseConn) Read(b []byte) (int, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	if len(b) == 0 {
		return 0, nil
	}
	for {
		if len(c.q) > 0 {
			n := copy(b, c.q)
			c.q = c.q[n:]
			return n, nil
		}
		ct, err := readFrame(c.bufConn, c.rbuf)
		c.rbuf = ct[:0] // keep the (grown) buffer
		if err != nil {
			return 0, err
		}
		if len(ct) < chacha20poly1305.Overhead {
			return 0, errors.New("noise: short frame")
		}
		ptLen := len(ct) - chacha20poly1305.Overhead
		if ptLen == 0 {
			if _, err := c.dec.Decrypt(nil, nil, ct); err != nil {
				return 0, err
			}
			continue
		}
		if len(b) >= ptLen { // decrypt straight into the caller's buffer
			out, err := c.dec.Decrypt(b[:0], nil, ct)
			if err != nil {
				return 0, err
			}
			return len(out), nil
		}
		if cap(c.qstore) < ptLen {
			c.qstore = make([]byte, ptLen)
		}
		out, err := c.dec.Decrypt(c.qstore[:0], nil, ct)
		if err != nil {
			return 0, err
		}
		c.q = out
	}
}

// ---------------------------------------------------------------------------
// Connection setup (dialer and listener)

var yamuxWindow = flag.Uint("yamux-window", 256*1024, "yamux MaxStreamWindowSize (hashicorp: fixed receive window; 256 KiB = go-yamux initial window)")

func yamuxConfig() *yamux.Config {
	cfg := yamux.DefaultConfig()
	cfg.EnableKeepAlive = false // benchmark: no pings
	cfg.LogOutput = io.Discard  // as go-libp2p does
	cfg.MaxStreamWindowSize = uint32(*yamuxWindow)
	// AcceptBacklog 256 and ConnectionWriteTimeout 10s match go-yamux defaults.
	return cfg
}

type clientConn struct {
	tcp    net.Conn
	sess   *yamux.Session
	stream *yamux.Stream
	remote ed25519.PublicKey
}

func (c *clientConn) Close() {
	if c.sess != nil {
		c.sess.Close()
	}
	c.tcp.Close()
}

// dialAndSetup connects and opens a stream negotiated for protoBench.
func dialAndSetup(addr string, id *identity, expectRemote ed25519.PublicKey) (*clientConn, error) {
	return dialAndOpen(addr, id, expectRemote, protoBench, false)
}

// dialAndOpen connects and opens a stream for proto. Eager: the echo is
// awaited (mssSelect). Lazy (as go-libp2p's NewStream once it knows the
// protocol): nothing is sent yet; the caller writes the proposal with its
// first data and checks the echo on its first read (lazyRoundTrip).
func dialAndOpen(addr string, id *identity, expectRemote ed25519.PublicKey, proto string, lazy bool) (*clientConn, error) {
	tcp, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	cc := &clientConn{tcp: tcp}
	fail := func(err error) (*clientConn, error) { cc.Close(); return nil, err }
	bc := &bufConn{Conn: tcp, br: bufio.NewReaderSize(tcp, 4096)}
	if err := mssSelect(bc, protoNoise); err != nil {
		return fail(err)
	}
	nc, remote, err := noiseHandshake(bc, id, true, expectRemote)
	if err != nil {
		return fail(err)
	}
	cc.remote = remote
	if !nc.earlyMuxer {
		if err := mssSelect(nc, protoYamux); err != nil {
			return fail(err)
		}
	}
	sess, err := yamux.Client(nc, yamuxConfig())
	if err != nil {
		return fail(err)
	}
	cc.sess = sess
	st, err := sess.OpenStream()
	if err != nil {
		return fail(err)
	}
	cc.stream = st
	if !lazy {
		if err := mssSelect(st, proto); err != nil {
			return fail(err)
		}
	}
	return cc, nil
}

// echoRoundTrip writes payload on a stream opened for protoEcho and reads it
// back. With lazy, the header and proposal go in the same write and the echo
// is checked before the payload is read.
func echoRoundTrip(st *yamux.Stream, payload []byte, lazy bool) error {
	out := payload
	if lazy {
		out = append(mssEncode(nil, protoMSS, protoEcho), payload...)
	}
	if _, err := st.Write(out); err != nil {
		return err
	}
	if lazy {
		if err := mssExpect(st, protoMSS); err != nil {
			return err
		}
		if err := mssExpect(st, protoEcho); err != nil {
			return err
		}
	}
	back := make([]byte, len(payload))
	if _, err := io.ReadFull(st, back); err != nil {
		return err
	}
	if !bytes.Equal(back, payload) {
		return errors.New("echo: bytes differ")
	}
	return nil
}

type server struct {
	ln     net.Listener
	id     *identity
	expect ed25519.PublicKey // if set, the dialer must present this identity
	errs   chan error        // handshake results (selftest)
}

func (s *server) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.handle(c)
	}
}

func (s *server) report(err error) {
	if s.errs != nil {
		s.errs <- err
	}
}

func (s *server) handle(tcp net.Conn) {
	defer tcp.Close()
	bc := &bufConn{Conn: tcp, br: bufio.NewReaderSize(tcp, 4096)}
	if err := mssHandle(bc, protoNoise); err != nil {
		s.report(err)
		return
	}
	nc, _, err := noiseHandshake(bc, s.id, false, s.expect)
	s.report(err)
	if err != nil {
		return
	}
	if !nc.earlyMuxer {
		if err := mssHandle(nc, protoYamux); err != nil {
			return
		}
	}
	sess, err := yamux.Server(nc, yamuxConfig())
	if err != nil {
		return
	}
	defer sess.Close()
	for {
		st, err := sess.AcceptStream()
		if err != nil {
			return
		}
		go handleBenchStream(st)
	}
}

// handleBenchStream: negotiate /bench/1.0.0, then read a u64 BE length
// and that many bytes (discarded), then write one byte as completion signal.
// (A length prefix instead of half-close + EOF: in this hashicorp/yamux
// version a stream that has sent FIN returns EOF on Read, so the dialer
// could not read the ack after closing its write side.)
func handleBenchStream(st *yamux.Stream) {
	defer st.Close()
	proto, err := mssHandleAny(st, protoBench, protoEcho)
	if err != nil {
		return
	}
	if proto == protoEcho {
		io.Copy(st, st) // until the dialer goes away
		return
	}
	var lb [8]byte // setup benchmark: the dialer closes before sending this
	if _, err := io.ReadFull(st, lb[:]); err != nil {
		return
	}
	remaining := int64(binary.BigEndian.Uint64(lb[:]))
	buf := make([]byte, 1<<20) // only allocated for data transfers, not in the setup benchmark
	for remaining > 0 {
		want := int64(len(buf))
		if remaining < want {
			want = remaining
		}
		n, err := st.Read(buf[:want])
		remaining -= int64(n)
		if err != nil {
			return
		}
	}
	if _, err := st.Write([]byte{1}); err != nil {
		return
	}
	io.Copy(io.Discard, st) // wait for the dialer to go away
}

// sendBench writes the length-prefixed payload in 1 MiB writes (the prefix
// goes with the first write) and waits for the one-byte ack.
func sendBench(st *yamux.Stream, total int64, buf []byte) error {
	first := make([]byte, 8, 8+len(buf))
	binary.BigEndian.PutUint64(first, uint64(total))
	for sent := int64(0); sent < total || sent == 0; {
		n := int64(len(buf))
		if total-sent < n {
			n = total - sent
		}
		chunk := buf[:n]
		if sent == 0 {
			chunk = append(first, chunk...)
		}
		if _, err := st.Write(chunk); err != nil {
			return err
		}
		sent += n
		if total == 0 {
			break
		}
	}
	var ack [1]byte
	if _, err := io.ReadFull(st, ack[:]); err != nil {
		return fmt.Errorf("no ack: %v", err)
	}
	if ack[0] != 1 {
		return errors.New("bad ack")
	}
	return nil
}

func startServer(id *identity) *server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	s := &server{ln: ln, id: id}
	go s.serve()
	return s
}

// ---------------------------------------------------------------------------
// Benchmarks

func emit(v map[string]interface{}, order ...string) {
	// keep key order stable for readability
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range order {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(v[k])
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteString("}\n")
	os.Stdout.Write(b.Bytes())
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	idx := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	if idx < 0 {
		idx = 0
	}
	return sorted[idx]
}

// benchSetup times connection setup plus one 32-byte echo round trip on the
// first stream, with the stream's protocol negotiated eagerly or lazily,
// against a listener in this process.
func benchSetup(n int, lazy bool) {
	srvID := newIdentity()
	s := startServer(srvID)
	defer s.ln.Close()
	benchSetupTo(n, lazy, s.ln.Addr().String(), srvID.edPub)
}

// serveSetup runs the listener alone (-setup-listen), for a dialer in another
// process: it prints the address and the Ed25519 key the dialer must expect,
// then serves until standard input closes.
func serveSetup() {
	srvID := newIdentity()
	s := startServer(srvID)
	fmt.Printf("%s %s\n", s.ln.Addr().String(), hex.EncodeToString(srvID.edPub))
	io.Copy(io.Discard, os.Stdin)
	s.ln.Close()
}

// benchSetupTo times setups against the listener at addr, whose identity is remote.
func benchSetupTo(n int, lazy bool, addr string, remote ed25519.PublicKey) {
	cliID := newIdentity()
	payload := make([]byte, setupPayload)
	rand.Read(payload)
	setup := func() (*clientConn, error) {
		c, err := dialAndOpen(addr, cliID, remote, protoEcho, lazy)
		if err != nil {
			return nil, err
		}
		if err := echoRoundTrip(c.stream, payload, lazy); err != nil {
			c.Close()
			return nil, err
		}
		return c, nil
	}
	// warm-up (not measured)
	for i := 0; i < 10; i++ {
		c, err := setup()
		must(err)
		c.Close()
	}
	d := make([]time.Duration, n)
	var total time.Duration
	for i := 0; i < n; i++ {
		t0 := time.Now()
		c, err := setup()
		d[i] = time.Since(t0)
		must(err)
		total += d[i]
		c.Close()
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	name := "go-setup-rtt32-eager"
	if lazy {
		name = "go-setup-rtt32-lazy"
	}
	us := func(x time.Duration) float64 { return round(float64(x)/1e3, 1) }
	emit(map[string]interface{}{
		"bench": name, "n": n,
		"p50_us":  us(percentile(d, 50)),
		"p99_us":  us(percentile(d, 99)),
		"mean_us": us(total / time.Duration(n)),
		"min_us":  us(d[0]),
	}, "bench", "n", "p50_us", "p99_us", "mean_us", "min_us")
}

func benchThroughput(total int64) {
	srvID, cliID := newIdentity(), newIdentity()
	s := startServer(srvID)
	defer s.ln.Close()
	c, err := dialAndSetup(s.ln.Addr().String(), cliID, srvID.edPub)
	must(err)
	defer c.Close()
	buf := make([]byte, 1<<20)
	rand.Read(buf)
	cpu0 := cpuSeconds()
	t0 := time.Now()
	must(sendBench(c.stream, total, buf))
	secs := time.Since(t0).Seconds()
	cpu := cpuSeconds() - cpu0
	emit(map[string]interface{}{
		"bench": "go-throughput", "bytes": total,
		"seconds":      round(secs, 4),
		"mib_per_s":    round(float64(total)/(1<<20)/secs, 1),
		"cpu_s":        round(cpu, 3), // user+sys of the whole process (client + server)
		"yamux_window": *yamuxWindow,
	}, "bench", "bytes", "seconds", "mib_per_s", "cpu_s", "yamux_window")
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

func benchChaCha(total int64) {
	key := make([]byte, chacha20poly1305.KeySize)
	rand.Read(key)
	aead, err := chacha20poly1305.New(key)
	must(err)
	pt := make([]byte, maxPlaintext)
	rand.Read(pt)
	out := make([]byte, 0, maxCiphertext)
	var nonce [chacha20poly1305.NonceSize]byte
	// warm-up
	for i := 0; i < 16; i++ {
		aead.Seal(out[:0], nonce[:], pt, nil)
	}
	chunks := total / maxPlaintext
	if chunks < 1 {
		chunks = 1
	}
	t0 := time.Now()
	for i := int64(0); i < chunks; i++ {
		binary.LittleEndian.PutUint64(nonce[4:], uint64(i))
		out = aead.Seal(out[:0], nonce[:], pt, nil)
	}
	secs := time.Since(t0).Seconds()
	emit(map[string]interface{}{
		"bench":     "go-chacha20poly1305",
		"chunk":     maxPlaintext,
		"bytes":     chunks * maxPlaintext,
		"mib_per_s": round(float64(chunks*maxPlaintext)/(1<<20)/secs, 1),
	}, "bench", "chunk", "bytes", "mib_per_s")
}

// ---------------------------------------------------------------------------
// Self-test: handshake correctness, incl. tampered signatures.

func selftest() bool {
	ok := true
	result := func(name string, pass bool, detail string) {
		status := "PASS"
		if !pass {
			status = "FAIL"
			ok = false
		}
		fmt.Printf("%s %s: %s\n", status, name, detail)
	}
	errStr := func(err error) string {
		if err == nil {
			return "<nil>"
		}
		return err.Error()
	}

	// protobuf / mss encodings against fixed vectors
	{
		pub := make(ed25519.PublicKey, 32)
		pk := marshalPublicKey(pub)
		result("pb-publickey-encoding", bytes.Equal(pk[:4], []byte{0x08, 0x01, 0x12, 0x20}) && len(pk) == 36,
			fmt.Sprintf("% x ...", pk[:4]))
		m := mssEncode(nil, protoMSS)
		result("mss-encoding", m[0] == 19 && string(m[1:]) == "/multistream/1.0.0\n", fmt.Sprintf("len byte %d", m[0]))
	}

	type outcome struct {
		cli, srv error
		remote   ed25519.PublicKey
	}
	run := func(srvID, cliID *identity, srvExpect, cliExpect ed25519.PublicKey) outcome {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		must(err)
		defer ln.Close()
		s := &server{ln: ln, id: srvID, expect: srvExpect, errs: make(chan error, 1)}
		go s.serve()
		var o outcome
		c, err := dialAndSetup(ln.Addr().String(), cliID, cliExpect)
		o.cli = err
		if err == nil {
			o.remote = c.remote
			// exercise the data path: a few MiB through the stream + ack
			buf := make([]byte, 3<<20+12345)
			rand.Read(buf)
			o.cli = sendBench(c.stream, int64(len(buf)), buf)
			c.Close()
		}
		select {
		case o.srv = <-s.errs:
		case <-time.After(5 * time.Second):
			o.srv = errors.New("server: timeout")
		}
		return o
	}

	a, b := newIdentity(), newIdentity()
	o := run(a, b, b.edPub, a.edPub)
	result("handshake-ok", o.cli == nil && o.srv == nil && bytes.Equal(o.remote, a.edPub),
		fmt.Sprintf("client=%s server=%s; both verified identity_sig, client saw expected server key, 3 MiB sent + acked", errStr(o.cli), errStr(o.srv)))

	// responder sends a bad signature -> initiator must reject
	bad := newIdentity()
	bad.tamperSig = true
	o = run(bad, b, nil, nil)
	result("tampered-responder-sig", o.cli != nil, "client error: "+errStr(o.cli))

	// initiator sends a bad signature -> responder must reject
	bad2 := newIdentity()
	bad2.tamperSig = true
	o = run(a, bad2, nil, nil)
	result("tampered-initiator-sig", o.srv != nil, "server error: "+errStr(o.srv))

	// signature valid but over a different static key (key-binding check):
	// responder signs its static key but uses another static key in the handshake
	mis := &misboundIdentity{identity: newIdentity(), signFor: newIdentity().static.Public}
	merr := runMisbound(mis, b)
	result("sig-not-bound-to-static-key", merr != nil, "client error: "+errStr(merr))

	// wrong expected peer identity
	o = run(a, b, nil, newIdentity().edPub)
	result("unexpected-peer-identity", o.cli != nil, "client error: "+errStr(o.cli))

	// direct unit checks of verifyPayload
	{
		id := newIdentity()
		pl := id.payload()
		_, err := verifyPayload(pl, id.static.Public)
		result("verify-unit-ok", err == nil, errStr(err))
		t := append([]byte(nil), pl...)
		f, _ := pbParse(t)
		f[2].bytes[len(f[2].bytes)-1] ^= 0x80 // the identity_sig, in place within t
		_, err = verifyPayload(t, id.static.Public)
		result("verify-unit-tampered", err != nil, errStr(err))
		result("early-muxer-announced", announcesYamux(pl) == *earlyMuxer, "payload extensions")
	}
	return ok
}

// misboundIdentity signs an X25519 key other than the static key it uses in
// the handshake; the remote must reject it.
type misboundIdentity struct {
	*identity
	signFor []byte
}

func runMisbound(m *misboundIdentity, cli *identity) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	defer ln.Close()
	go func() {
		tcp, err := ln.Accept()
		if err != nil {
			return
		}
		defer tcp.Close()
		bc := &bufConn{Conn: tcp, br: bufio.NewReader(tcp)}
		if mssHandle(bc, protoNoise) != nil {
			return
		}
		// hand-rolled responder with a payload signing the wrong key
		hs, _ := noise.NewHandshakeState(noise.Config{CipherSuite: cipherSuite, Random: rand.Reader,
			Pattern: noise.HandshakeXX, StaticKeypair: m.static})
		in, err := readFrame(bc, nil)
		if err != nil {
			return
		}
		hs.ReadMessage(nil, in)
		sig := ed25519.Sign(m.edPriv, append([]byte(sigPrefix), m.signFor...))
		pl := pbAppendBytes(pbAppendBytes(nil, 1, marshalPublicKey(m.edPub)), 2, sig)
		msg, _, _, _ := hs.WriteMessage(nil, pl)
		writeFrame(bc, msg)
		readFrame(bc, nil)
	}()
	c, err := dialAndSetup(ln.Addr().String(), cli, nil)
	if err == nil {
		c.Close()
	}
	return err
}

// ---------------------------------------------------------------------------

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "fatal:", err)
		os.Exit(1)
	}
}

func main() {
	setupN := flag.Int("setup-n", 1000, "number of sequential connection setups to time (0 = skip)")
	nbytes := flag.Int64("bytes", 1<<30, "bytes to send in the throughput test (0 = skip)")
	chachaBytes := flag.Int64("chacha-bytes", 1<<30, "bytes to seal in the raw chacha20poly1305 test (0 = skip)")
	only := flag.String("only", "", "run only one of: setup, throughput, chacha")
	setupMSS := flag.String("setup-mss", "both", "first-stream negotiation in the setup benchmark: eager, lazy or both")
	doSelftest := flag.Bool("selftest", false, "run handshake correctness checks and exit")
	setupListen := flag.Bool("setup-listen", false, "serve the setup benchmark's listener alone; print 'address key'; stop when stdin closes")
	setupDial := flag.String("setup-dial", "", "time setups against a -setup-listen process: 'address key' as it printed")
	flag.Parse()

	if *setupListen {
		serveSetup()
		return
	}
	if *setupDial != "" {
		var addr, key string
		if _, err := fmt.Sscan(*setupDial, &addr, &key); err != nil {
			must(fmt.Errorf("-setup-dial %q: want 'address key', as -setup-listen prints: %v", *setupDial, err))
		}
		remote, err := hex.DecodeString(key)
		if err != nil || len(remote) != ed25519.PublicKeySize {
			must(fmt.Errorf("-setup-dial key %q: want %d bytes in hex", key, ed25519.PublicKeySize))
		}
		if *setupMSS != "lazy" {
			benchSetupTo(*setupN, false, addr, remote)
		}
		if *setupMSS != "eager" {
			benchSetupTo(*setupN, true, addr, remote)
		}
		return
	}

	if *doSelftest {
		if !selftest() {
			fmt.Println("selftest: FAILED")
			os.Exit(1)
		}
		fmt.Println("selftest: all passed")
		return
	}
	if (*only == "" || *only == "setup") && *setupN > 0 {
		if *setupMSS != "lazy" {
			benchSetup(*setupN, false)
		}
		if *setupMSS != "eager" {
			benchSetup(*setupN, true)
		}
	}
	if (*only == "" || *only == "throughput") && *nbytes > 0 {
		benchThroughput(*nbytes)
	}
	if (*only == "" || *only == "chacha") && *chachaBytes > 0 {
		benchChaCha(*chachaBytes)
	}
}
