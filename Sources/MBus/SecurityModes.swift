/// Decryption of the ELL (AES-CTR) and of TPL security modes 5 and 7 (AES-CBC), in place on
/// the frame buffer (PROTOCOLS.md §1.4, §1.6, §5).
///
/// Policy, mirroring wmbusmeters:
/// - encrypted and no key: `no-key`, unless `assumeDecrypted` and the bytes pass the check a
///   decryption would have to pass (PLCRC for CTR, 2F2F for CBC);
/// - a key is given: always decrypt and check; a failed check is `decryption-failed`, even
///   when the bytes as received would pass as plaintext (a spoofed plaintext telegram must not
///   pass for a keyed meter's reading);
/// - unencrypted telegrams (mode 0, ENC 0) are accepted with or without a key; the caller
///   sees `security == .none` and may refuse that for meters that should encrypt.
enum SecurityModes {
    /// ELL ENC 1: decrypt PLCRC + payload with AES-CTR and verify the PLCRC.
    static func openELL(_ buffer: inout [UInt8], ell: ELLHeader, options: DecodeOptions,
                        cipher: PayloadCipher) throws(DecodeError) -> SecurityMode {
        guard let crcOffset = ell.payloadCRCOffset, let sessionNumber = ell.sessionNumber else { return .none }
        switch ell.encryption {
        case 0:
            guard ELLHeader.payloadCRCVerifies(buffer, crcOffset: crcOffset) else {
                throw DecodeError(.crcMismatch, "ELL payload CRC does not verify")
            }
            return .none
        case 1:
            if let key = options.key {
                try withUnsafeTemporaryAllocation(byteCount: 16, alignment: 1) { iv throws(DecodeError) in
                    ELLHeader.writeCounterIV(buffer, communicationControl: ell.communicationControl, sessionNumber: sessionNumber, into: iv)
                    try cipher.ctr(key: key, iv: UnsafeRawBufferPointer(iv), data: &buffer, range: crcOffset..<buffer.count)
                }
                guard ELLHeader.payloadCRCVerifies(buffer, crcOffset: crcOffset) else {
                    throw DecodeError(.decryptionFailed, "ELL payload CRC does not verify after AES-CTR decryption: wrong key")
                }
            } else if options.assumeDecrypted {
                guard ELLHeader.payloadCRCVerifies(buffer, crcOffset: crcOffset) else {
                    throw DecodeError(.noKey, "ELL payload is AES-CTR encrypted (its CRC does not verify as plaintext) and no key was given")
                }
            } else {
                throw DecodeError(.noKey, "ELL payload is AES-CTR encrypted and no key was given")
            }
            return .ellCTR
        default:
            throw DecodeError(.unsupported, "ELL encryption method \(ell.encryption) (reserved) is not supported")
        }
    }

    /// The byte range a CBC mode decrypts: N blocks (all of the rest when N = 0), cut to what
    /// the frame holds and to whole blocks, as wmbusmeters does; bytes after it are plaintext.
    static func cbcRange(_ buffer: [UInt8], tpl: TPLHeader) throws(DecodeError) -> Range<Int> {
        let remaining = buffer.count - tpl.end
        var count = tpl.encryptedBlocks > 0 ? min(tpl.encryptedBlocks * 16, remaining) : remaining
        count -= count % 16
        guard count >= 16 else {
            throw DecodeError(.truncated, "security mode \(tpl.securityMode) needs at least one 16-byte block, \(remaining) bytes follow the TPL header")
        }
        return tpl.end..<(tpl.end + count)
    }

    /// Mode 5: AES-128-CBC, IV = M ‖ A ‖ ACC×8 (long-header M/A when present, else the DLL's).
    /// Returns where the records start (after the 2F2F check bytes).
    static func openMode5(_ buffer: inout [UInt8], tpl: TPLHeader, options: DecodeOptions,
                          cipher: PayloadCipher) throws(DecodeError) -> Int {
        let range = try cbcRange(buffer, tpl: tpl)
        if let key = options.key {
            try withUnsafeTemporaryAllocation(byteCount: 16, alignment: 1) { iv throws(DecodeError) in
                if tpl.longAddress != nil {
                    // Long header: ID(4) M(2) V T at start + 1; the IV wants M first.
                    let at = tpl.start + 1
                    iv[0] = buffer[at + 4]; iv[1] = buffer[at + 5]
                    for index in 0..<4 { iv[2 + index] = buffer[at + index] }
                    iv[6] = buffer[at + 6]; iv[7] = buffer[at + 7]
                } else {
                    for index in 0..<8 { iv[index] = buffer[2 + index] }
                }
                for index in 8..<16 { iv[index] = tpl.accessNumber ?? 0 }
                try cipher.cbcDecrypt(key: key, iv: UnsafeRawBufferPointer(iv), data: &buffer, range: range)
            }
            try requireFillers(buffer, at: range.lowerBound, mode: 5, keyed: true)
        } else {
            try requireFillers(buffer, at: range.lowerBound, mode: 5, keyed: false, assumeDecrypted: options.assumeDecrypted)
        }
        return range.lowerBound + 2
    }

    /// Mode 7: MAC first (Kmac from the KDF over the AFL's MCR), then AES-128-CBC with IV 0
    /// and Kenc. Returns where the records start and whether the MAC was checked.
    static func openMode7(_ buffer: inout [UInt8], tpl: TPLHeader, afl: AFLHeader?, linkID: UInt32,
                          options: DecodeOptions, cipher: PayloadCipher) throws(DecodeError) -> (recordsStart: Int, macVerified: Bool) {
        let kdf = Int(((tpl.configurationExtension ?? 0) >> 4) & 0x03)
        guard kdf == 1 else { throw DecodeError(.unsupported, "security mode 7 with KDF selection \(kdf) (only the OMS KDF, 1, is supported)") }
        let range = try cbcRange(buffer, tpl: tpl)
        guard let key = options.key else {
            try requireFillers(buffer, at: range.lowerBound, mode: 7, keyed: false, assumeDecrypted: options.assumeDecrypted)
            return (range.lowerBound + 2, false)
        }
        guard let afl, let counter = afl.messageCounter, let macRange = afl.macRange else {
            throw DecodeError(.invalidFrame, "security mode 7 needs an AFL with a message counter and a MAC")
        }
        let id = tpl.longAddress?.id ?? linkID
        let macKey = try derive(key: key, constant: 0x01, counter: counter, id: id, cipher: cipher)
        let computed = try cipher.cmac(key: macKey, message: afl.macInput(buffer))
        var difference: UInt8 = 0
        for (offset, index) in macRange.enumerated() { difference |= computed[offset] ^ buffer[index] }
        guard difference == 0 else { throw DecodeError(.macMismatch, "AFL MAC does not verify with the key derived for message counter \(counter): wrong key or altered telegram") }
        let encryptionKey = try derive(key: key, constant: 0x00, counter: counter, id: id, cipher: cipher)
        try withUnsafeTemporaryAllocation(byteCount: 16, alignment: 1) { iv throws(DecodeError) in
            iv.initializeMemory(as: UInt8.self, repeating: 0)
            try cipher.cbcDecrypt(key: encryptionKey, iv: UnsafeRawBufferPointer(iv), data: &buffer, range: range)
        }
        try requireFillers(buffer, at: range.lowerBound, mode: 7, keyed: true)
        return (range.lowerBound + 2, true)
    }

    /// The OMS KDF: CMAC(K, DC ‖ MCR ‖ ID ‖ 0x07×7); DC 0x00 = Kenc, 0x01 = Kmac (from meter).
    static func derive(key: [UInt8], constant: UInt8, counter: UInt32, id: UInt32, cipher: PayloadCipher) throws(DecodeError) -> [UInt8] {
        var input = [UInt8](repeating: 0x07, count: 16)
        input[0] = constant
        for index in 0..<4 {
            input[1 + index] = UInt8(truncatingIfNeeded: counter >> UInt32(8 * index))
            input[5 + index] = UInt8(truncatingIfNeeded: id >> UInt32(8 * index))
        }
        return try cipher.cmac(key: key, message: input)
    }

    /// CBC plaintext starts with the 2F 2F idle fillers: the only sign the key was right.
    private static func requireFillers(_ buffer: [UInt8], at start: Int, mode: Int, keyed: Bool,
                                       assumeDecrypted: Bool = false) throws(DecodeError) {
        let ok = buffer[start] == 0x2F && buffer[start + 1] == 0x2F
        if keyed {
            guard ok else { throw DecodeError(.decryptionFailed, "mode-\(mode) plaintext does not start with 2F2F after decryption: wrong key") }
        } else if !assumeDecrypted {
            throw DecodeError(.noKey, "payload is encrypted (security mode \(mode)) and no key was given")
        } else if !ok {
            throw DecodeError(.noKey, "payload is encrypted (security mode \(mode); it does not start with 2F2F as plaintext) and no key was given")
        }
    }
}
