/**
 * The pool map: a 2-D projection of a Dataset's embeddings (PCA), coloured by the round in which each sample was
 * picked and grey where nothing picked it, as {@code pool-map.svg} and {@code pool-map.png}. Reads artifacts
 * through {@code storage} and {@code sampling}'s readers; {@code winnow map} and {@code winnow demo} draw it.
 */
package dev.winnow.map;
