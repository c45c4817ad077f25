//! End-to-end tests of the tujie command line.
