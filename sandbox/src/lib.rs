//! Loopback emulator of the vendor auth flows in `shared/seeds/`.
