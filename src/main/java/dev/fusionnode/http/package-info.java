/** The HTTP server: router, access control, the JSON API and the viewer. */
package dev.fusionnode.http;
