package sim

import (
	"net"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

// DNS is a name server on loopback UDP answering from a table of CNAME
// records, as the zone's name servers would: a CNAME query gets the
// CNAME; an A query gets the CNAME and 127.0.0.1; a name not in the table
// gets NXDOMAIN. Tests point the prober's CNAME checks at it.
type DNS struct {
	// Addr is where it listens, 127.0.0.1:port.
	Addr string
	pc   net.PacketConn
}

// StartDNS serves cnames: fully qualified name (with its final dot) →
// fully qualified target.
func StartDNS(cnames map[string]string) (*DNS, error) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	table := map[string]string{}
	for k, v := range cnames {
		table[strings.ToLower(k)] = v
	}
	go serveDNS(pc, table)
	return &DNS{Addr: pc.LocalAddr().String(), pc: pc}, nil
}

// Close stops the server.
func (d *DNS) Close() { d.pc.Close() }

func serveDNS(pc net.PacketConn, cnames map[string]string) {
	buf := make([]byte, 1500)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			return
		}
		if msg, ok := answer(buf[:n], cnames); ok {
			pc.WriteTo(msg, from)
		}
	}
}

func answer(query []byte, cnames map[string]string) ([]byte, bool) {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil {
		return nil, false
	}
	q, err := p.Question()
	if err != nil {
		return nil, false
	}
	target, ok := cnames[strings.ToLower(q.Name.String())]
	rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true}
	if !ok {
		rh.RCode = dnsmessage.RCodeNameError
	}
	b := dnsmessage.NewBuilder(nil, rh)
	b.EnableCompression()
	b.StartQuestions()
	b.Question(q)
	b.StartAnswers()
	if ok && (q.Type == dnsmessage.TypeCNAME || q.Type == dnsmessage.TypeA) {
		name, err := dnsmessage.NewName(target)
		if err != nil {
			return nil, false
		}
		b.CNAMEResource(dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 60}, dnsmessage.CNAMEResource{CNAME: name})
		if q.Type == dnsmessage.TypeA {
			b.AResource(dnsmessage.ResourceHeader{Name: name, Class: dnsmessage.ClassINET, TTL: 60}, dnsmessage.AResource{A: [4]byte{127, 0, 0, 1}})
		}
	}
	msg, err := b.Finish()
	return msg, err == nil
}
