/**
 * Strategy benchmarks: many loops of one manifest, one per strategy and seed ({@code winnow bench}), and the
 * report that reads finished loops back from any cluster ({@code winnow report}). Builds on the demo: the loops
 * run in its session, on its embedded API, and the report draws with its learning curve.
 */
package dev.winnow.local.bench;
