-- The PostgreSQL role and database of one tujie installation. Run as a superuser:
--
--   psql -v ON_ERROR_STOP=1 -v role=tujie -v db=tujie -v password='…' -f create-role-and-database.sql
--
-- The role owns its database and nothing else: no superuser, no CREATEDB, no CREATEROLE. `tujie migrate` (run as
-- this role) creates the tables. The database is UTF-8; collation C keeps sorting identical on every host and is
-- what the queries assume (timestamps are RFC 3339 text that sorts as time).
\set ON_ERROR_STOP on
\if :{?role}
\else
  DO $$ BEGIN RAISE EXCEPTION 'set the role name: -v role=tujie'; END $$;
\endif
\if :{?db}
\else
  DO $$ BEGIN RAISE EXCEPTION 'set the database name: -v db=tujie'; END $$;
\endif
\if :{?password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'set the password: -v password=…'; END $$;
\endif

CREATE ROLE :"role" LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
CREATE DATABASE :"db" OWNER :"role" ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"role";

\connect :"db"
-- Only the owner creates objects in the public schema.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO :"role";
