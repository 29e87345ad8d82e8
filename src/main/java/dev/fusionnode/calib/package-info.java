/** Camera models and rigid transforms: the calibration of a rig. */
package dev.fusionnode.calib;
