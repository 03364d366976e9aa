package probe

import "github.com/drim-m/trust-space/tool/internal/dn"

// SameDN tells whether two distinguished names written as strings
// (RFC 4514 style, as in the whitelist) name the same subject: the same
// attributes with the same values, whatever their order.
func SameDN(a, b string) bool { return dn.Equal(a, b) }
