/**
 * {@code winnow demo}'s session: the manifests, the working directory and its saved API state, the progress
 * lines, {@code rounds.csv} and the learning curve. Composes the embedded API ({@code local.api}) and the local
 * kubelet ({@code local.kubelet}), which know nothing of it.
 */
package dev.winnow.local.demo;
