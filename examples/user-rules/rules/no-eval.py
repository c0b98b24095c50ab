import ast

# expect: no-eval
limits = eval(request_body)

# OK: a method named eval, and the safe parser.
model.eval()
limits = ast.literal_eval(request_body)
