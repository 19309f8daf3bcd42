"""Sign-in through OpenID Connect providers (issue #19)."""
