"""Sign-in through OpenID Connect: HelseID and an organisation's own provider for staff, ID-porten
for patients and relatives (docs/sign-in.md). The protocol (PAR, PKCE, private_key_jwt, the checks
of the answer and the ID token) is `flow`; who the verified person is, is decided by the handler
registered for the provider's purpose (`purposes`): "staff" here (`staff`), "citizen" by the portal.
"""
