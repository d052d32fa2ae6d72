package leatsandbox

import (
	"io"
	"net/http"
	"time"
)

// The control API lets tests and people steer the sandbox over HTTP. It needs the same bearer token as
// Leat routes and answers plain JSON, not Leat's envelope, so nobody mistakes it for Leat.
func (s *Sandbox) registerControl() {
	s.mux.HandleFunc("GET "+controlRoot+"faults", s.controlled(s.listFaults))
	s.mux.HandleFunc("POST "+controlRoot+"faults", s.controlled(s.addFaults))
	s.mux.HandleFunc("DELETE "+controlRoot+"faults", s.controlled(s.clearFaults))
	s.mux.HandleFunc("GET "+controlRoot+"clock", s.controlled(s.readClock))
	s.mux.HandleFunc("POST "+controlRoot+"clock", s.controlled(s.advanceClock))
	s.mux.HandleFunc("POST "+controlRoot+"reset", s.controlled(s.reset))
	s.mux.HandleFunc("GET "+controlRoot+"emails", s.controlled(s.listEmails))
}

func (s *Sandbox) controlled(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			writeError(w, errUnauthenticated)
			return
		}
		next(w, r)
	}
}

// GET /_sandbox/faults
func (s *Sandbox) listFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, object{"faults": s.Faults()})
}

// POST /_sandbox/faults: the body is what ParseFaults reads, JSON or the short text form.
func (s *Sandbox) addFaults(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeError(w, invalidField("body", "The request body could not be read."))
		return
	}
	faults, err := ParseFaults(string(body))
	if err == nil && len(faults) == 0 {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		writeError(w, invalidField("faults", "The faults could not be read: "+err.Error()))
		return
	}
	for _, f := range faults {
		if err := s.InjectFault(f); err != nil {
			writeError(w, invalidField("faults", err.Error()))
			return
		}
	}
	writeJSON(w, http.StatusCreated, object{"faults": s.Faults()})
}

// DELETE /_sandbox/faults
func (s *Sandbox) clearFaults(w http.ResponseWriter, _ *http.Request) {
	s.ClearFaults()
	writeJSON(w, http.StatusOK, object{"faults": []Fault{}})
}

// GET /_sandbox/clock
func (s *Sandbox) readClock(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, object{"now": timestamp(s.clock.Now())})
}

// POST /_sandbox/clock with advance_seconds.
func (s *Sandbox) advanceClock(w http.ResponseWriter, r *http.Request) {
	values, err := readInput(r)
	if err != nil {
		writeError(w, err)
		return
	}
	in := newFields(values)
	seconds := in.requiredInteger("advance_seconds")
	if seconds < 0 {
		in.fail("advance_seconds", "The advance seconds must be at least 0.")
	}
	if err := in.err(); err != nil {
		writeError(w, err)
		return
	}
	s.clock.Advance(time.Duration(seconds) * time.Second)
	s.readClock(w, r)
}

// POST /_sandbox/reset
func (s *Sandbox) reset(w http.ResponseWriter, _ *http.Request) {
	s.Reset()
	writeJSON(w, http.StatusOK, object{"message": "The sandbox is back to its seed."})
}

// GET /_sandbox/emails
func (s *Sandbox) listEmails(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, object{"emails": s.SentEmails()})
}
