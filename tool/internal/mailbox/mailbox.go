// Package mailbox tells functional mailboxes from what must not be
// published as a contact: phone numbers, named addresses, personal
// webmail and mailboxes that read as a person's name.
package mailbox

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
)

var (
	phoneRe   = regexp.MustCompile(`^[+0(][0-9 ().-]{6,}$|[0-9]{2}[ .-]?[0-9]{2}[ .-]?[0-9]{2}[ .-]?[0-9]{2}[ .-]?[0-9]{2}`)
	mailboxRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._+-]{0,63}@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// Problem explains why a contact is not a functional mailbox, or returns
// "" when it is one. Phone numbers are refused outright: contacts are
// published and must not reach a person's phone; personal webmail is
// refused because a functional mailbox belongs to the organisation.
func Problem(v string) string {
	switch {
	case v == "":
		return "contact is empty; give a functional mailbox such as support@operator.example"
	case phoneRe.MatchString(v):
		return fmt.Sprintf("contact %q looks like a phone number; contacts are functional mailboxes (e.g. support@operator.example), never phone numbers", v)
	}
	addr, err := mail.ParseAddress(v)
	if err != nil || addr.Address != v || addr.Name != "" {
		return fmt.Sprintf("contact %q is not a plain e-mail address; write only the mailbox, e.g. support@operator.example", v)
	}
	if !mailboxRe.MatchString(strings.ToLower(v)) || v != strings.ToLower(v) {
		return fmt.Sprintf("contact %q is not a valid functional mailbox; use lowercase letters, digits and . _ + - before @ and a real domain after it", v)
	}
	at := strings.LastIndexByte(v, '@')
	if Webmail(v[at+1:]) {
		return fmt.Sprintf("contact %q is a personal webmail address; give a functional mailbox of the organisation, e.g. support@operator.example", v)
	}
	if pattern, ok := personalName(v[:at]); ok {
		return fmt.Sprintf("contact %q reads as a person's name (%s); contacts are published and outlive people: give a functional mailbox such as support@, drimbox-support@, hotline@ or contact@ of the same domain", v, pattern)
	}
	return ""
}

// Personal webmail domains: a professional contact is not reached there.
var webmail = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "hotmail.com": true, "hotmail.fr": true, "outlook.com": true, "outlook.fr": true,
	"live.com": true, "live.fr": true, "msn.com": true, "yahoo.com": true, "yahoo.fr": true, "icloud.com": true, "me.com": true,
	"orange.fr": true, "wanadoo.fr": true, "free.fr": true, "sfr.fr": true, "neuf.fr": true, "laposte.net": true, "gmx.fr": true,
	"gmx.com": true, "aol.com": true, "protonmail.com": true, "proton.me": true, "bbox.fr": true,
}

// Webmail tells whether a mail domain is a personal webmail service.
func Webmail(domain string) bool { return webmail[strings.ToLower(domain)] }
