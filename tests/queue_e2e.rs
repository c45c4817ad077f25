//! End-to-end tests of the worker against the real RabbitMQ and PostgreSQL.
