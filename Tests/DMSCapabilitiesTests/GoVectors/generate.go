// Command generate writes tokens.json: golden vectors for the Swift capability-token encoding, produced
// by Go's own encoding/json and crypto/ed25519 (standard library only, so Debian's golang-go runs it).
// The struct below restates the Go DMS wire format (field order, tags, omitempty) from its documentation.
//
//	go run generate.go > tokens.json
package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
)

type DID struct {
	URI string `json:"uri,omitempty"`
}

type Token struct {
	DMS  *DMSToken `json:"dms,omitempty"`
	UCAN *struct{} `json:"ucan,omitempty"`
}

type DMSToken struct {
	Action     string   `json:"act"`
	Issuer     DID      `json:"iss"`
	Subject    DID      `json:"sub"`
	Audience   DID      `json:"aud"`
	Topic      []string `json:"topic,omitempty"`
	Capability []string `json:"cap"`
	Nonce      []byte   `json:"nonce"`
	Expire     uint64   `json:"exp"`
	Depth      uint64   `json:"depth,omitempty"`
	Chain      *Token   `json:"chain,omitempty"`
	Signature  []byte   `json:"sig,omitempty"`
}

type TokenList struct {
	Tokens []*Token `json:"tok,omitempty"`
}

const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

func base58(data []byte) string {
	n := new(big.Int).SetBytes(data)
	mod := new(big.Int)
	radix := big.NewInt(58)
	var out []byte
	for n.Sign() > 0 {
		n.DivMod(n, radix, mod)
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

type identity struct {
	key    ed25519.PrivateKey
	Seed   string `json:"seed"`
	Public string `json:"public_key"`
	Proto  string `json:"public_key_protobuf"`
	DID    string `json:"did"`
	PeerID string `json:"peer_id"`
}

func newIdentity(seedByte byte) identity {
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = seedByte + byte(i)
	}
	key := ed25519.NewKeyFromSeed(seed)
	public := key.Public().(ed25519.PublicKey)
	proto := append([]byte{0x08, 0x01, 0x12, 0x20}, public...)
	peer := append([]byte{0x00, byte(len(proto))}, proto...)
	did := "did:key:z" + base58(append([]byte{0xed, 0x01}, public...))
	return identity{key, hex.EncodeToString(seed), hex.EncodeToString(public), hex.EncodeToString(proto), did, base58(peer)}
}

func sign(id identity, t *DMSToken) *DMSToken {
	t.Signature = nil
	data, err := json.Marshal(t)
	if err != nil {
		panic(err)
	}
	t.Signature = ed25519.Sign(id.key, append([]byte("dms:token:"), data...))
	return t
}

type vector struct {
	Name        string `json:"name"`
	Signer      int    `json:"signer"`
	TokenList   string `json:"token_list"`
	SigningData string `json:"signing_data"`
}

func main() {
	ids := []identity{newIdentity(1), newIdentity(100), newIdentity(200)}
	nonce := func(b byte) []byte {
		n := make([]byte, 12)
		for i := range n {
			n[i] = b ^ byte(i*7)
		}
		return n
	}
	const exp = uint64(1830297599999999999)

	root := sign(ids[0], &DMSToken{Action: "delegate", Issuer: DID{ids[0].DID}, Subject: DID{ids[1].DID},
		Topic: []string{"/nunet"}, Capability: []string{"/public", "/broadcast"}, Nonce: nonce(1), Expire: exp, Depth: 3})
	middle := sign(ids[1], &DMSToken{Action: "delegate", Issuer: DID{ids[1].DID}, Subject: DID{ids[2].DID},
		Topic: []string{"/nunet"}, Capability: []string{"/public"}, Nonce: nonce(2), Expire: exp - 1000, Chain: &Token{DMS: root}})
	leaf := sign(ids[2], &DMSToken{Action: "invoke", Issuer: DID{ids[2].DID}, Subject: DID{ids[0].DID},
		Audience: DID{ids[1].DID}, Capability: []string{"/public/hello"}, Nonce: nonce(3), Expire: exp - 2000, Chain: &Token{DMS: middle}})
	broadcast := sign(ids[0], &DMSToken{Action: "broadcast", Issuer: DID{ids[0].DID}, Subject: DID{ids[2].DID},
		Topic: []string{"/nunet/hello"}, Capability: []string{"/broadcast/hello"}, Nonce: nonce(4), Expire: exp})
	nilCaps := sign(ids[1], &DMSToken{Action: "revoke", Issuer: DID{ids[1].DID}, Subject: DID{ids[0].DID},
		Nonce: nonce(5), Expire: exp})
	emptyCaps := sign(ids[1], &DMSToken{Action: "delegate", Issuer: DID{ids[1].DID}, Subject: DID{ids[0].DID},
		Capability: []string{}, Nonce: nonce(6), Expire: exp})
	html := sign(ids[2], &DMSToken{Action: "delegate", Issuer: DID{ids[2].DID}, Subject: DID{ids[0].DID},
		Capability: []string{"/a<b>&c", "/quote\"back\\slash", "/line\u2028sep", "/ctl\u0001\t"}, Nonce: nonce(7), Expire: exp})

	cases := []struct {
		name   string
		signer int
		token  *DMSToken
	}{
		{"root delegation with depth and topics", 0, root},
		{"chained delegation", 1, middle},
		{"three-link invocation with audience", 2, leaf},
		{"broadcast without audience", 0, broadcast},
		{"nil capability list and revoke action", 1, nilCaps},
		{"empty capability list", 1, emptyCaps},
		{"html and control characters escaped", 2, html},
	}
	var vectors []vector
	for _, c := range cases {
		list, _ := json.Marshal(TokenList{Tokens: []*Token{{DMS: c.token}}})
		unsigned := *c.token
		unsigned.Signature = nil
		data, _ := json.Marshal(&unsigned)
		vectors = append(vectors, vector{c.name, c.signer, string(list), string(append([]byte("dms:token:"), data...))})
	}
	both, _ := json.Marshal(TokenList{Tokens: []*Token{{DMS: root}, {DMS: broadcast}}})
	empty, _ := json.Marshal(TokenList{})
	out, _ := json.MarshalIndent(map[string]interface{}{
		"identities":      ids,
		"tokens":          vectors,
		"two_token_list":  string(both),
		"empty_list":      string(empty),
		"go_version_note": "generated with Debian golang-go (Go 1.19 escaping)",
	}, "", "  ")
	fmt.Fprintln(os.Stdout, string(out))
}
