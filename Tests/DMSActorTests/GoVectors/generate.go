// Command generate writes envelopes.json: golden vectors for the Swift actor envelope encoding,
// produced by Go's encoding/json, encoding/base32 and crypto/ed25519 (standard library only). The
// structs restate the Go DMS wire format (field order, tags, omitempty) from its documentation.
//
//	go run generate.go > envelopes.json
package main

import (
	"crypto/ed25519"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
)

type ID struct{ PublicKey []byte }

func (id ID) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Pub string `json:"pub"`
	}{base32.StdEncoding.EncodeToString(id.PublicKey)})
}

type DID struct {
	URI string `json:"uri,omitempty"`
}

type Address struct {
	HostID       string `json:"host,omitempty"`
	InboxAddress string `json:"inbox,omitempty"`
}

type Handle struct {
	ID      ID      `json:"id"`
	DID     DID     `json:"did"`
	Address Address `json:"addr"`
}

type EnvelopeOptions struct {
	Expire  uint64 `json:"exp"`
	ReplyTo string `json:"cont,omitempty"`
	Topic   string `json:"topic,omitempty"`
}

type Envelope struct {
	To         Handle          `json:"to"`
	Behavior   string          `json:"be"`
	From       Handle          `json:"from"`
	Nonce      uint64          `json:"nonce"`
	Options    EnvelopeOptions `json:"opt"`
	Message    []byte          `json:"msg"`
	Capability []byte          `json:"cap,omitempty"`
	Signature  []byte          `json:"sig,omitempty"`
}

const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

func base58(data []byte) string {
	n := new(big.Int).SetBytes(data)
	mod := new(big.Int)
	var out []byte
	for n.Sign() > 0 {
		n.DivMod(n, big.NewInt(58), mod)
		out = append([]byte{alphabet[mod.Int64()]}, out...)
	}
	for _, b := range data {
		if b != 0 {
			break
		}
		out = append([]byte{'1'}, out...)
	}
	return string(out)
}

type party struct {
	key    ed25519.PrivateKey
	handle Handle
	Seed   string `json:"seed"`
}

func newParty(seedByte byte, inbox string) party {
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = seedByte + byte(i)
	}
	key := ed25519.NewKeyFromSeed(seed)
	public := key.Public().(ed25519.PublicKey)
	proto := append([]byte{0x08, 0x01, 0x12, 0x20}, public...)
	did := "did:key:z" + base58(append([]byte{0xed, 0x01}, public...))
	peer := base58(append([]byte{0x00, byte(len(proto))}, proto...))
	return party{key, Handle{ID{proto}, DID{did}, Address{peer, inbox}}, hex.EncodeToString(seed)}
}

type vector struct {
	Name        string `json:"name"`
	Signer      int    `json:"signer"`
	Envelope    string `json:"envelope"`
	SigningData string `json:"signing_data"`
}

func main() {
	parties := []party{newParty(7, "root"), newParty(70, "ensemble-1")}
	sign := func(p party, e Envelope) Envelope {
		e.Signature = nil
		data, _ := json.Marshal(e)
		e.Signature = ed25519.Sign(p.key, append([]byte("dms:msg:"), data...))
		return e
	}
	const exp = uint64(1830297599999999999)
	cases := []struct {
		name   string
		signer int
		env    Envelope
	}{
		{"invoke with reply and tokens", 0, Envelope{To: parties[1].handle, Behavior: "/dms/node/peers/self",
			From: parties[0].handle, Nonce: 1795979121000000001, Options: EnvelopeOptions{Expire: exp, ReplyTo: "/dms/actor/replyto/1795979121000000001"},
			Message: []byte(`{"Host":"x"}`), Capability: []byte(`{"tok":[]}`)}},
		{"broadcast to an empty handle", 1, Envelope{Behavior: "/broadcast/hello", From: parties[1].handle, Nonce: 42,
			Options: EnvelopeOptions{Expire: exp, Topic: "/nunet/hello"}, Message: []byte{}}},
		{"nil message and html escaping", 0, Envelope{To: parties[1].handle, Behavior: "/a<b>&c",
			From: parties[0].handle, Nonce: 0, Options: EnvelopeOptions{Expire: 1}}},
	}
	var vectors []vector
	for _, c := range cases {
		signed := sign(parties[c.signer], c.env)
		full, _ := json.Marshal(signed)
		unsigned := signed
		unsigned.Signature = nil
		data, _ := json.Marshal(unsigned)
		vectors = append(vectors, vector{c.name, c.signer, string(full), "dms:msg:" + string(data)})
	}
	out, _ := json.MarshalIndent(map[string]interface{}{
		"seeds":     []string{parties[0].Seed, parties[1].Seed},
		"envelopes": vectors,
		"note":      "generated with Debian golang-go (Go 1.19 escaping)",
	}, "", "  ")
	fmt.Println(string(out))
}
