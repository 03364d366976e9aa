package registry

// AdoptTrustSpace replaces the registry's trust-space settings with
// another registry's, with the source their findings point to. A pull
// request's records are judged by the settings of its base branch as it is
// now, not by those of the commit its branch was cut from, which the
// author chooses.
func (r *Registry) AdoptTrustSpace(from *Registry) {
	r.TrustSpace, r.trustSpaceSrc = from.TrustSpace, from.trustSpaceSrc
}

// AdoptConditions replaces the registry's conditions catalogue with
// another registry's, with its source, for the reason AdoptTrustSpace
// gives.
func (r *Registry) AdoptConditions(from *Registry) {
	r.Conditions, r.conditionsSrc = from.Conditions, from.conditionsSrc
}

// AuthorityPatterns are the records that say who may do what and by which
// rules (path.Match patterns relative to the registry folder): the
// trust-space settings with the ANS reviewers, the conditions catalogue
// and each operator's record with its maintainers.
var AuthorityPatterns = []string{"trust-space.yaml", "conditions.yaml", "operators/*/operator.yaml"}
