module github.com/leatpos/gateway

go 1.26.8
