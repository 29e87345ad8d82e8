/** Camera capture with OpenCV's {@code VideoCapture}: devices, video files, streams. */
package dev.fusionnode.capture;
