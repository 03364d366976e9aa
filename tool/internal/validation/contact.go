package validation

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

// mailboxProblem explains why a contact is not a functional mailbox, or
// returns "" when it is one. Phone numbers are refused outright: contacts
// are published and must not reach a person's phone.
func mailboxProblem(v string) string {
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
	return ""
}
