module example.com/banner

go 1.24
