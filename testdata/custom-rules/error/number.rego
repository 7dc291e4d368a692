package main

# A result must be a message or an object with msg; a number is not a finding.
deny contains 42 if true
