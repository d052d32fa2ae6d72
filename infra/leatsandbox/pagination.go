package leatsandbox

import (
	"fmt"
	"net/http"
	"strconv"
)

// Every paginated Leat endpoint has its own parameter names and meta shape (leat-api.md §5); the slicing is
// shared and each shape is written by one function below.

type pageRequest struct {
	number int
	size   int
}

// pageRequest reads "page" and the endpoint's size parameter, which Laravel validates against a maximum.
func (f fields) pageRequest(sizeKey string, defaultSize, maxSize int) pageRequest {
	number := f.positiveInteger("page", 1)
	size := f.positiveInteger(sizeKey, int64(defaultSize))
	if size > int64(maxSize) {
		f.fail(sizeKey, fmt.Sprintf("The %s may not be greater than %d.", f.label(sizeKey), maxSize))
		size = int64(maxSize)
	}
	return pageRequest{number: int(number), size: int(size)}
}

type page[T any] struct {
	items    []T
	request  pageRequest
	total    int
	lastPage int
	from, to int // 1-based positions of the first and last item shown, 0 on an empty page
}

func paginate[T any](all []T, request pageRequest) page[T] {
	total := len(all)
	start := min((request.number-1)*request.size, total)
	end := min(start+request.size, total)
	p := page[T]{
		items:    all[start:end],
		request:  request,
		total:    total,
		lastPage: max(1, (total+request.size-1)/request.size),
	}
	if start < end {
		p.from, p.to = start+1, end
	} else {
		p.items = []T{} // an empty page is [], never null
	}
	return p
}

// laravelPage is the reply of Laravel's LengthAwarePaginator (vouchers): top-level links and a meta block
// whose per_page is a string, as in Leat's recordings.
func laravelPage[T any](r *http.Request, p page[T]) reply {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	path := scheme + "://" + r.Host + r.URL.Path
	pageURL := func(n int) any {
		if n < 1 || n > p.lastPage {
			return nil
		}
		return path + "?page=" + strconv.Itoa(n)
	}
	number := p.request.number
	links := []object{{"url": pageURL(number - 1), "label": "&laquo; Previous", "active": false}}
	for n := 1; n <= p.lastPage; n++ {
		links = append(links, object{"url": pageURL(n), "label": strconv.Itoa(n), "active": n == number})
	}
	links = append(links, object{"url": pageURL(number + 1), "label": "Next &raquo;", "active": false})

	return reply{
		status: http.StatusOK,
		data:   p.items,
		links: object{
			"first": pageURL(1),
			"last":  pageURL(p.lastPage),
			"prev":  pageURL(number - 1),
			"next":  pageURL(number + 1),
		},
		meta: object{
			"current_page": number,
			"from":         positionOrNull(p.from),
			"last_page":    p.lastPage,
			"links":        links,
			"path":         path,
			"per_page":     strconv.Itoa(p.request.size),
			"to":           positionOrNull(p.to),
			"total":        p.total,
		},
	}
}

func positionOrNull(position int) any {
	if position == 0 {
		return nil
	}
	return position
}

// giftcardPage is the meta of GET /giftcards.
func giftcardPage[T any](p page[T]) reply {
	return reply{status: http.StatusOK, data: p.items, meta: object{
		"page":      p.request.number,
		"per_page":  p.request.size,
		"last_page": p.lastPage,
		"total":     p.total,
	}}
}

// transactionPage is the meta of GET /giftcard-transactions. Leat has no recording for prepaid
// transactions; the sandbox gives them the same shape, the likeliest for a sibling transaction list.
func transactionPage[T any](p page[T]) reply {
	return reply{status: http.StatusOK, data: p.items, meta: object{
		"page":         p.request.number,
		"limit":        p.request.size,
		"viewing_from": p.from,
		"viewing_to":   p.to,
		"last_page":    p.lastPage,
		"total":        p.total,
	}}
}
