package leatsandbox

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"time"
)

// claimPagePath is where loyalty token URLs point on the contacts portal. The seed's contacts_portal_url
// names no real host, so the sandbox serves the portal's claim page itself, at the same path and, like the
// public portal, without a bearer token: put the sandbox's address in place of a token URL's host.
const claimPagePath = "/l"

type claimPageView struct {
	Title   string
	Message string
	Form    bool
	Action  string // where the form posts: the page's own URL, token included
}

var claimPage = template.Must(template.New("claim").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body>
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
{{if .Form}}<form method="post" action="{{.Action}}">
<p><label>Email address <input type="email" name="email"></label></p>
<p><label>or loyalty card <input name="card"></label></p>
<p><button type="submit">Claim points</button></p>
</form>
{{end}}</body>
</html>
`))

var (
	invalidLinkView    = claimPageView{Title: "Invalid link", Message: "This link is not a valid loyalty token."}
	alreadyClaimedView = claimPageView{Title: "Already claimed", Message: "The points of this link have already been claimed."}
)

// serveClaimPage is GET and POST /l?<token>: GET shows a form asking who claims, POST claims the token for
// the email or card entered.
func (s *Sandbox) serveClaimPage(w http.ResponseWriter, r *http.Request) {
	values, err := readInput(r)
	if err != nil {
		renderClaimPage(w, http.StatusBadRequest, claimPageView{Title: "Invalid request", Message: "The form could not be read."})
		return
	}
	now := s.clock.Now()
	s.mu.Lock()
	status, view := s.state.claimOnPage(values, r.Method == http.MethodPost, now)
	s.mu.Unlock()
	view.Action = r.URL.RequestURI()
	renderClaimPage(w, status, view)
}

func renderClaimPage(w http.ResponseWriter, status int, view claimPageView) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = claimPage.Execute(w, view) // the visitor has gone; nothing left to tell them
}

// claimOnPage answers the claim page for the token and form fields in values.
func (st *state) claimOnPage(values map[string]any, post bool, now time.Time) (int, claimPageView) {
	in := newFields(values)
	t := in.loyaltyToken(true)
	if in.err() != nil || !t.signedWith(st.account.AccountSecret) {
		return http.StatusBadRequest, invalidLinkView
	}
	if _, err := st.claimable(t); err != nil {
		return claimRefusal(err)
	}
	form := claimPageView{Title: "Claim your points", Form: true,
		Message: fmt.Sprintf("This link is worth %d points. Enter your email address or your loyalty card.", st.points(t.award))}
	if !post {
		return http.StatusOK, form
	}
	claimant, problem := st.claimant(newFields(values), now)
	if problem != "" {
		form.Message = problem
		return http.StatusBadRequest, form
	}
	cr, err := st.redeemLoyaltyToken(t, claimant, now)
	if err != nil {
		return claimRefusal(err)
	}
	return http.StatusOK, claimPageView{Title: "Points claimed",
		Message: fmt.Sprintf("%d points were credited to %s. The balance is now %d points.", cr.credits, claimant.email, claimant.points)}
}

func claimRefusal(err error) (int, claimPageView) {
	if errors.Is(err, errTokenAlreadyClaimed) {
		return http.StatusConflict, alreadyClaimedView
	}
	return http.StatusBadRequest, invalidLinkView
}

// claimant is who the page credits: the contact with the email entered (created when new, as
// contacts/find-or-create does) or the owner of the card entered. Otherwise problem says what to correct.
func (st *state) claimant(form fields, now time.Time) (claimant *contact, problem string) {
	email, card := form.string("email"), form.string("card")
	switch {
	case email != "" && card != "":
		return nil, "Enter your email address or your loyalty card, not both."
	case card != "":
		id, err := st.usableIdentifier(card)
		var apiErr *apiError
		if errors.As(err, &apiErr) {
			return nil, "This card cannot be used: " + apiErr.message
		}
		if id.contact == nil {
			return nil, "This card is not linked to a member yet."
		}
		return id.contact, ""
	case email != "":
		if form.email("email"); form.err() != nil {
			return nil, "Enter a valid email address."
		}
		return st.findOrCreate(email, now), ""
	}
	return nil, "Enter your email address or your loyalty card."
}
