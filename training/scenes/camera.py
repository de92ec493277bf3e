"""Cameras in the program's convention (src/core/camera.ts):
world right-handed, metres, +Y up; camera +X right, +Y up, looks down -Z;
depth = distance along the view axis (-z in camera coordinates); vertical field of view in degrees;
pixel (i, j) has its centre at (i + 0.5, j + 0.5), v grows down.

A pose is a 4x4 camera-to-world matrix: columns 0..2 are the camera axes in world coordinates,
column 3 is the eye position.
"""
import numpy as np


def intrinsics(width, height, fov_y_deg):
    """Square pixels, principal point at the image centre. Returns (fx, fy, cx, cy)."""
    f = height / 2.0 / np.tan(np.radians(fov_y_deg) / 2.0)
    return np.array([f, f, width / 2.0, height / 2.0], dtype=np.float64)


def rotation_ypr(yaw, pitch, roll):
    """Camera-to-world rotation from yaw (about world +Y, 0 = looking down -Z), pitch (positive
    looks up) and roll (about the view axis), all in radians: R = Ry(yaw) Rx(pitch) Rz(roll)."""
    cy, sy = np.cos(yaw), np.sin(yaw)
    cp, sp = np.cos(pitch), np.sin(pitch)
    cr, sr = np.cos(roll), np.sin(roll)
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rx = np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
    rz = np.array([[cr, -sr, 0], [sr, cr, 0], [0, 0, 1]])
    return ry @ rx @ rz


def pose_matrix(eye, yaw, pitch, roll):
    m = np.eye(4)
    m[:3, :3] = rotation_ypr(yaw, pitch, roll)
    m[:3, 3] = eye
    return m


def camera_rays(width, height, fov_y_deg):
    """Per-pixel ray directions in camera coordinates, NOT normalised: z = -1, so the ray
    parameter t of a hit is its depth along the view axis. Shape (H*W, 3)."""
    fx, fy, cx, cy = intrinsics(width, height, fov_y_deg)
    u = (np.arange(width) + 0.5 - cx) / fx
    v = -(np.arange(height) + 0.5 - cy) / fy
    uu, vv = np.meshgrid(u, v)
    return np.stack([uu.ravel(), vv.ravel(), -np.ones(width * height)], axis=1)


def world_rays(pose, width, height, fov_y_deg):
    """(origin (3,), directions (H*W, 3)) in world coordinates; t along the directions is depth."""
    d = camera_rays(width, height, fov_y_deg) @ pose[:3, :3].T
    return pose[:3, 3].copy(), d
