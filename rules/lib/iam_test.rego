package policylint.lib.iam_test

import data.policylint.lib.iam

test_statements_array_and_object if {
	iam.statements == {"/Statement/0": {"Effect": "Allow"}, "/Statement/2": {"Effect": "Deny"}} with input as {"policy": {"Statement": [{"Effect": "Allow"}, "x", {"Effect": "Deny"}]}}
	iam.statements == {"/Statement": {"Effect": "Allow"}} with input as {"policy": {"Statement": {"Effect": "Allow"}}}
	iam.statements == {} with input as {"policy": {}}
}

test_as_array_and_element_pointer if {
	iam.as_array("a") == ["a"]
	iam.as_array(["a", 1]) == ["a", 1]
	not iam.as_array(3)
	iam.element_pointer("/Statement/1", "Action", "a", 0) == "/Statement/1/Action"
	iam.element_pointer("/Statement", "Action", ["a", "b"], 1) == "/Statement/Action/1"
}

test_glob_pattern_is_literal_but_for_wildcards if {
	glob.match(iam.glob_pattern(`a[b]{c,d}\e*`), null, `a[b]{c,d}\exyz`)
	not glob.match(iam.glob_pattern("a[b]"), null, "ab")
	glob.match(iam.glob_pattern("a?c"), null, "abc")
}

test_action_covers if {
	iam.action_covers("*", "iam:PassRole")
	iam.action_covers("IAM:pass*", "iam:PassRole")
	iam.action_covers("iam:Pass?ole", "IAM:PASSROLE")
	iam.action_covers("s3:*", "s3:Get*")
	iam.action_covers("s3:Get*", "s3:Get?bject")
	not iam.action_covers("s3:Get?", "s3:Get*")
	not iam.action_covers("s3:Get*", "s3:*")
	not iam.action_covers("iam:PassRole", "iam:PassRoles")
}

test_covers_wildcards_in_the_value if {
	iam.resource_covers("arn:aws:deepracer:*:*:*DeepRacer*", "arn:aws:deepracer:*:*:*DeepRacer*/*")
	not iam.resource_covers("arn:aws:deepracer:*:*:*DeepRacer*/*", "arn:aws:deepracer:*:*:*DeepRacer*")
	iam.resource_covers("arn:aws:codepipeline:r:1:pipeline/*", "arn:aws:codepipeline:r:1:pipeline/*/execution/*")
	iam.resource_covers("arn:aws:logs:r:1:log-group:app*", "arn:aws:logs:r:1:log-group:app:log-stream:web")
	not iam.resource_covers("arn:aws:logs:*:*:/aws/lambda/x*", "arn:aws:logs:*:*:log-group:/aws/lambda/x*")
	not iam.resource_covers("arn:aws:ec2:*:1:instance/*", "arn:aws:ec2:us-east-1:999:1:instance/i")
	iam.resource_covers("*", "arn:aws:s3:::b")
	iam.action_covers("s3:Get?", "s3:Get?")
	not iam.action_covers("s3:Get?", "s3:Get*")
}

test_redundant_actions if {
	iam.redundant_actions(["s3:GetObject", "s3:Get*", "S3:GETOBJECT", "*", "s3:get*", "s3:Get?bject"]) == {
		0: [1, "covered"],
		1: [3, "covered"],
		2: [0, "repeats"],
		4: [1, "repeats"],
		5: [1, "covered"],
	}
	not iam.redundant_actions(json.unmarshal(`["s3:GetObject", 7]`))
	not iam.redundant_actions(["s3:GetObject", "s3:Get\nObject"])
	iam.redundant_actions(["s3:GetObject"]) == {}
	iam.redundant_actions(["s3:Get*", "S3:get*", "s3:List*", "s3:Lis*"]) == {1: [0, "repeats"], 2: [3, "covered"]}
	iam.redundant_actions(["s3:*Object", "s3:GetObject", "s3:Get*Object"]) == {1: [0, "covered"], 2: [0, "covered"]}
	iam.redundant_actions(["s3:Get*", "s3:Get**"]) == {1: [0, "covered"]}
	iam.redundant_actions(["*", "*"]) == {1: [0, "repeats"]}
	iam.redundant_actions([]) == {}
}

test_redundant_resources if {
	iam.redundant_resources([
		"arn:aws:s3:::b/k",
		"arn:aws:s3:::b/*",
		"arn:aws:s3:::B/k",
		"arn:aws:s3:::b/k",
	]) == {0: [1, "covered"], 3: [0, "repeats"]}
	iam.redundant_resources(["arn:aws:s3:::b", "*", "arn:aws:s3:::b"]) == {0: [1, "covered"], 2: [0, "repeats"]}
	iam.redundant_resources([
		"arn:aws:logs:*:1:log-group:*",
		"arn:aws:logs:eu-west-1:1:log-group:g:log-stream:s",
		"arn:aws:iam::*:role/*",
		"arn:aws:iam::1:role/a/b",
		"arn:aws:sns:us-*-1:1:t",
		"arn:aws:sns:us-east:x-1:1:t",
		"arn:aws:s3:::b/?",
		"arn:aws:s3:::b/ab",
	]) == {1: [0, "covered"], 3: [2, "covered"]}
}

test_has_condition_key if {
	iam.has_condition_key({"Condition": {"StringLike": {"IAM:PassedToService": "x"}}}, "iam:PassedToService")
	not iam.has_condition_key({"Condition": {"StringLike": {"aws:SourceIp": "x"}}}, "iam:PassedToService")
	not iam.has_condition_key({}, "iam:PassedToService")
}
