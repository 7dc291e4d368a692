package main

deny contains "never" if {
	count([x | some x in numbers.range(1, 100000000)]) < 0
}
