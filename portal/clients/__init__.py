"""Who calls the integration API and what is kept for them: API keys, OAuth clients and their
tokens, and the stored answers to idempotent writes.

Its own area because the passport store (sandbox keys, bulk jobs, the idempotency sweep), the
resolver (restricted reads), access grants and the API all need these rows; kept inside
portal.api, they tied those areas to the API's views in import circles."""
