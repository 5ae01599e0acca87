/**
 * {@code winnow dashboard}: a read-only web page of loops, learning curves and label progress. It reads the cluster
 * with the viewer's own client (so their RBAC decides what they see), keeps it in informers, turns it into small
 * view records ({@link dev.winnow.dashboard.LoopRows}, {@link dev.winnow.dashboard.LoopPages}) and pushes them to the
 * page as Server-Sent Events from a Vert.x server. It reuses the benchmark's curve math for the ±1 sd band.
 */
package dev.winnow.dashboard;
