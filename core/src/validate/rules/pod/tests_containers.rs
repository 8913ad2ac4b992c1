//! The containers' rules: one small manifest per rule, the code expected (or not), and where.
