module github.com/drim-m/trust-space/tool/listeblanche

go 1.26.8

require (
	github.com/beevik/etree v1.8.1
	github.com/russellhaering/goxmldsig v1.6.1
)

require github.com/jonboulle/clockwork v0.5.0 // indirect
