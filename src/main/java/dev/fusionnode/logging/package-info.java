/**
 * The node's log: repeated identical warnings are limited to a burst per window and then counted,
 * as syslog's "last message repeated N times" does, so that a flood of bad input cannot fill a disk
 * or hide the other lines.
 */
package dev.fusionnode.logging;
