using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Vigil.Security.Passwords;

/// <summary>Argon2id version 1.3 (RFC 9106) with AVX2, filling memory that is reused from one hash
/// to the next (<see cref="Argon2Memory"/>).
/// Why not libsodium alone: it maps fresh memory for every hash (19 MiB at the default cost) and
/// unmaps it afterwards, so each login page-faults 4,864 zeroed pages. Under IMAP load that was as
/// much server CPU as the hashing itself (perf: mmap and munmap 11 %, libsodium's code 12 %). The
/// compression function here is the one of RFC 9106 §3.5 written with AVX2 (AVX-512 rotates where
/// present); BLAKE2b for H0 and H' (§3.2, §3.3) is libsodium's. Tests check it against libsodium
/// and the RFC's test vector.</summary>
internal static partial class Argon2idAvx2
{
    private const int BlockWords = 128;
    private const int BlockBytes = BlockWords * 8;
    private const int SyncPoints = 4;
    private const int AddressesPerBlock = 128;
    private const int Version = 0x13;
    private const int TypeId = 2; // Argon2id

    public static bool IsSupported => Avx2.IsSupported && BitConverter.IsLittleEndian;

    /// <summary>The tag for <paramref name="password"/>; <paramref name="memoryKiB"/> is rounded down
    /// to a multiple of 4 × <paramref name="lanes"/> blocks as §3.2 says.</summary>
    public static byte[] Compute(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int memoryKiB, int passes, int lanes, int tagLength,
        ReadOnlySpan<byte> secret = default, ReadOnlySpan<byte> associatedData = default)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("Argon2idAvx2 needs AVX2.");
        if (lanes < 1 || passes < 1 || tagLength < 4 || memoryKiB < 8 * lanes) throw new ArgumentOutOfRangeException(nameof(memoryKiB), "Argon2 parameters out of range.");
        var segmentLength = memoryKiB / (SyncPoints * lanes);
        var laneLength = segmentLength * SyncPoints;
        var blocks = laneLength * lanes;

        Span<byte> seed = stackalloc byte[72]; // H0 || LE32(j) || LE32(lane), §3.2 steps 5 and 6
        PreHash(seed[..64], password, salt, secret, associatedData, memoryKiB, passes, lanes, tagLength);
        var memory = Argon2Memory.Shared.Rent(blocks * BlockWords);
        try
        {
            var bytes = MemoryMarshal.AsBytes(memory.AsSpan(0, blocks * BlockWords));
            for (var lane = 0; lane < lanes; lane++)
            {
                for (var j = 0; j < 2; j++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(seed[64..], j);
                    BinaryPrimitives.WriteInt32LittleEndian(seed[68..], lane);
                    HPrime(bytes.Slice((lane * laneLength + j) * BlockBytes, BlockBytes), seed);
                }
            }
            CryptographicZero(seed);

            var scratch = new Scratch();
            for (var pass = 0; pass < passes; pass++)
                for (var slice = 0; slice < SyncPoints; slice++)
                    for (var lane = 0; lane < lanes; lane++)
                        FillSegment(memory, ref scratch, pass, slice, lane, lanes, laneLength, segmentLength, passes, blocks);

            Span<ulong> final = stackalloc ulong[BlockWords];
            memory.AsSpan((laneLength - 1) * BlockWords, BlockWords).CopyTo(final);
            for (var lane = 1; lane < lanes; lane++)
                Xor(final, memory.AsSpan(((lane + 1) * laneLength - 1) * BlockWords, BlockWords));
            var tag = new byte[tagLength];
            HPrime(tag, MemoryMarshal.AsBytes(final));
            final.Clear();
            ((Span<ulong>)scratch).Clear();
            return tag;
        }
        finally
        {
            Argon2Memory.Shared.Return(memory, blocks * BlockWords);
        }
    }

    /// <summary>Two scratch blocks for the compression function, on the stack.</summary>
    [InlineArray(2 * BlockWords)]
    private struct Scratch
    {
        private ulong _first;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first login: no tier-0 code
    private static void FillSegment(ulong[] memory, ref Scratch scratch, int pass, int slice, int lane, int lanes, int laneLength, int segmentLength, int passes, int blocks)
    {
        Span<ulong> work = scratch;
        var dataIndependent = pass == 0 && slice < SyncPoints / 2; // Argon2id, §3.4.1.3
        Span<ulong> address = stackalloc ulong[BlockWords];
        Span<ulong> input = stackalloc ulong[BlockWords];
        Span<ulong> zero = stackalloc ulong[BlockWords];
        if (dataIndependent)
        {
            input[0] = (ulong)pass;
            input[1] = (ulong)lane;
            input[2] = (ulong)slice;
            input[3] = (ulong)blocks;
            input[4] = (ulong)passes;
            input[5] = TypeId;
        }
        var start = pass == 0 && slice == 0 ? 2 : 0;
        if (dataIndependent && start == 2) NextAddresses(address, input, zero, work);

        ref var mem = ref MemoryMarshal.GetArrayDataReference(memory);
        var current = lane * laneLength + slice * segmentLength + start;
        var previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1;
        for (var i = start; i < segmentLength; i++, current++, previous++)
        {
            if (current % laneLength == 1) previous = current - 1;
            ulong random;
            if (dataIndependent)
            {
                if (i % AddressesPerBlock == 0) NextAddresses(address, input, zero, work);
                random = address[i % AddressesPerBlock];
            }
            else
            {
                random = Unsafe.Add(ref mem, previous * BlockWords);
            }
            var refLane = pass == 0 && slice == 0 ? lane : (int)((random >> 32) % (ulong)lanes);
            var refIndex = ReferenceIndex(pass, slice, i, (uint)random, refLane == lane, laneLength, segmentLength);
            Compress(ref Unsafe.Add(ref mem, previous * BlockWords), ref Unsafe.Add(ref mem, (refLane * laneLength + refIndex) * BlockWords),
                ref Unsafe.Add(ref mem, current * BlockWords), pass > 0, work);
        }
        address.Clear();
        input.Clear();
    }

    /// <summary>§3.4.2: maps J1 onto the blocks this one may reference.</summary>
    private static int ReferenceIndex(int pass, int slice, int index, uint j1, bool sameLane, int laneLength, int segmentLength)
    {
        long area;
        if (pass == 0)
        {
            if (slice == 0) area = index - 1;
            else if (sameLane) area = (long)slice * segmentLength + index - 1;
            else area = (long)slice * segmentLength + (index == 0 ? -1 : 0);
        }
        else
        {
            area = sameLane ? laneLength - segmentLength + index - 1 : laneLength - segmentLength + (index == 0 ? -1 : 0);
        }
        var x = ((ulong)j1 * j1) >> 32;
        var relative = (ulong)area - 1 - (((ulong)area * x) >> 32);
        var startPosition = pass == 0 || slice == SyncPoints - 1 ? 0UL : (ulong)((slice + 1) * segmentLength);
        return (int)((startPosition + relative) % (ulong)laneLength);
    }

    /// <summary>§3.4.1.2: the next 128 addresses, G(zero, G(zero, input)) with the counter incremented.</summary>
    private static void NextAddresses(Span<ulong> address, Span<ulong> input, Span<ulong> zero, Span<ulong> work)
    {
        input[6]++;
        Compress(ref MemoryMarshal.GetReference(zero), ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(address), false, work);
        Compress(ref MemoryMarshal.GetReference(zero), ref MemoryMarshal.GetReference(address), ref MemoryMarshal.GetReference(address), false, work);
    }

    /// <summary>The compression function G of §3.5: next = P(prev ⊕ ref) ⊕ prev ⊕ ref, XORed into
    /// next's old value from the second pass on (version 1.3). P permutes the rows, then the columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compress(ref ulong prev, ref ulong reference, ref ulong next, bool withXor, Span<ulong> work)
    {
        ref var r = ref MemoryMarshal.GetReference(work);
        ref var keep = ref Unsafe.Add(ref r, BlockWords);
        for (nuint k = 0; k < BlockWords; k += 4)
        {
            var v = Vector256.LoadUnsafe(ref prev, k) ^ Vector256.LoadUnsafe(ref reference, k);
            v.StoreUnsafe(ref r, k);
            (withXor ? v ^ Vector256.LoadUnsafe(ref next, k) : v).StoreUnsafe(ref keep, k);
        }
        for (nuint i = 0; i < 8; i++)
        {
            var o = 16 * i; // row i: words 16i .. 16i+15
            var a = Vector256.LoadUnsafe(ref r, o);
            var b = Vector256.LoadUnsafe(ref r, o + 4);
            var c = Vector256.LoadUnsafe(ref r, o + 8);
            var d = Vector256.LoadUnsafe(ref r, o + 12);
            Round(ref a, ref b, ref c, ref d);
            a.StoreUnsafe(ref r, o);
            b.StoreUnsafe(ref r, o + 4);
            c.StoreUnsafe(ref r, o + 8);
            d.StoreUnsafe(ref r, o + 12);
        }
        for (nuint g = 0; g < 4; g++)
        {
            // Two column pairs at once (words 4g .. 4g+3 of every row): each vector holds w0,w1 of
            // pair 2g in its low half and of pair 2g+1 in its high half, so no load is split.
            var o = 4 * g;
            var a0 = Vector256.LoadUnsafe(ref r, o);
            var a1 = Vector256.LoadUnsafe(ref r, o + 16);
            var b0 = Vector256.LoadUnsafe(ref r, o + 32);
            var b1 = Vector256.LoadUnsafe(ref r, o + 48);
            var c0 = Vector256.LoadUnsafe(ref r, o + 64);
            var c1 = Vector256.LoadUnsafe(ref r, o + 80);
            var d0 = Vector256.LoadUnsafe(ref r, o + 96);
            var d1 = Vector256.LoadUnsafe(ref r, o + 112);
            ColumnRound(ref a0, ref a1, ref b0, ref b1, ref c0, ref c1, ref d0, ref d1);
            a0.StoreUnsafe(ref r, o);
            a1.StoreUnsafe(ref r, o + 16);
            b0.StoreUnsafe(ref r, o + 32);
            b1.StoreUnsafe(ref r, o + 48);
            c0.StoreUnsafe(ref r, o + 64);
            c1.StoreUnsafe(ref r, o + 80);
            d0.StoreUnsafe(ref r, o + 96);
            d1.StoreUnsafe(ref r, o + 112);
        }
        for (nuint k = 0; k < BlockWords; k += 4)
            (Vector256.LoadUnsafe(ref r, k) ^ Vector256.LoadUnsafe(ref keep, k)).StoreUnsafe(ref next, k);
    }

    /// <summary>One BLAKE2b round without message (§3.6) on 16 words held as a = v0..v3,
    /// b = v4..v7, c = v8..v11, d = v12..v15: the columns, then the diagonals by rotating b, c, d.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref Vector256<ulong> a, ref Vector256<ulong> b, ref Vector256<ulong> c, ref Vector256<ulong> d)
    {
        Quarter(ref a, ref b, ref c, ref d);
        b = Avx2.Permute4x64(b, 0b00_11_10_01);
        c = Avx2.Permute4x64(c, 0b01_00_11_10);
        d = Avx2.Permute4x64(d, 0b10_01_00_11);
        Quarter(ref a, ref b, ref c, ref d);
        b = Avx2.Permute4x64(b, 0b10_01_00_11);
        c = Avx2.Permute4x64(c, 0b01_00_11_10);
        d = Avx2.Permute4x64(d, 0b00_11_10_01);
    }

    /// <summary>The BLAKE2b round of the column step for two column pairs. With w0..w15 the words
    /// of one pair, a0 = (w0, w1), a1 = (w2, w3), b0 = (w4, w5), b1 = (w6, w7), c0 = (w8, w9),
    /// c1 = (w10, w11), d0 = (w12, w13), d1 = (w14, w15) in each 128-bit half. The columns are
    /// two GBs as loaded; for the diagonals (w0, w5, w10, w15) … (w3, w4, w9, w14) the b and d
    /// halves are exchanged within each 128-bit lane (vpalignr) and c0 and c1 swap roles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnRound(ref Vector256<ulong> a0, ref Vector256<ulong> a1, ref Vector256<ulong> b0, ref Vector256<ulong> b1,
        ref Vector256<ulong> c0, ref Vector256<ulong> c1, ref Vector256<ulong> d0, ref Vector256<ulong> d1)
    {
        Quarter(ref a0, ref b0, ref c0, ref d0);
        Quarter(ref a1, ref b1, ref c1, ref d1);
        var b5 = Exchange(b1, b0); // (w5, w6)
        var b7 = Exchange(b0, b1); // (w7, w4)
        var d15 = Exchange(d0, d1); // (w15, w12)
        var d13 = Exchange(d1, d0); // (w13, w14)
        Quarter(ref a0, ref b5, ref c1, ref d15);
        Quarter(ref a1, ref b7, ref c0, ref d13);
        b0 = Exchange(b5, b7);
        b1 = Exchange(b7, b5);
        d0 = Exchange(d13, d15);
        d1 = Exchange(d15, d13);
    }

    /// <summary>(low.q1, high.q0) in each 128-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Exchange(Vector256<ulong> high, Vector256<ulong> low) =>
        Avx2.AlignRight(high.AsByte(), low.AsByte(), 8).AsUInt64();

    /// <summary>GB of §3.6 on four lanes at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quarter(ref Vector256<ulong> a, ref Vector256<ulong> b, ref Vector256<ulong> c, ref Vector256<ulong> d)
    {
        a = BlaMka(a, b);
        d = RotateRight32(d ^ a);
        c = BlaMka(c, d);
        b = RotateRight24(b ^ c);
        a = BlaMka(a, b);
        d = RotateRight16(d ^ a);
        c = BlaMka(c, d);
        b = RotateRight63(b ^ c);
    }

    /// <summary>x + y + 2 · lo32(x) · lo32(y), the multiplication that makes Argon2's rounds
    /// costly to compute on dedicated hardware.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> BlaMka(Vector256<ulong> x, Vector256<ulong> y)
    {
        var m = Avx2.Multiply(x.AsUInt32(), y.AsUInt32());
        return x + y + m + m;
    }

    private static readonly Vector256<byte> Rotate24 = Vector256.Create((byte)3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10, 3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10);
    private static readonly Vector256<byte> Rotate16 = Vector256.Create((byte)2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9, 2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> RotateRight32(Vector256<ulong> x) => Avx2.Shuffle(x.AsUInt32(), 0b10_11_00_01).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> RotateRight24(Vector256<ulong> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 24) : Avx2.Shuffle(x.AsByte(), Rotate24).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> RotateRight16(Vector256<ulong> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 16) : Avx2.Shuffle(x.AsByte(), Rotate16).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> RotateRight63(Vector256<ulong> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 63) : (x + x) | Vector256.ShiftRightLogical(x, 63);

    private static void Xor(Span<ulong> into, ReadOnlySpan<ulong> other)
    {
        for (var k = 0; k < into.Length; k++) into[k] ^= other[k];
    }

    /// <summary>H0 of §3.2 step 1.</summary>
    private static void PreHash(Span<byte> h0, ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> associatedData,
        int memoryKiB, int passes, int lanes, int tagLength)
    {
        var buffer = new byte[40 + password.Length + salt.Length + secret.Length + associatedData.Length];
        var at = 0;
        foreach (var value in (ReadOnlySpan<int>)[lanes, tagLength, memoryKiB, passes, Version, TypeId])
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), value);
            at += 4;
        }
        at = Append(buffer, at, password);
        at = Append(buffer, at, salt);
        at = Append(buffer, at, secret);
        Append(buffer, at, associatedData);
        Blake2b(h0, buffer);
        CryptographicZero(buffer);
    }

    /// <summary>LE32(length) || value, at <paramref name="at"/>; returns the offset after it.</summary>
    private static int Append(byte[] buffer, int at, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), value.Length);
        value.CopyTo(buffer.AsSpan(at + 4));
        return at + 4 + value.Length;
    }

    /// <summary>H' of §3.3: BLAKE2b stretched to any length.</summary>
    private static void HPrime(Span<byte> output, ReadOnlySpan<byte> input)
    {
        var first = new byte[4 + input.Length];
        BinaryPrimitives.WriteInt32LittleEndian(first, output.Length);
        input.CopyTo(first.AsSpan(4));
        if (output.Length <= 64)
        {
            Blake2b(output, first);
            CryptographicZero(first);
            return;
        }
        Span<byte> v = stackalloc byte[64];
        Span<byte> next = stackalloc byte[64];
        Blake2b(v, first);
        CryptographicZero(first);
        var r = (output.Length + 31) / 32 - 2;
        var o = 0;
        for (var i = 1; i < r; i++)
        {
            v[..32].CopyTo(output[o..]);
            o += 32;
            Blake2b(next, v);
            next.CopyTo(v);
        }
        v[..32].CopyTo(output[o..]);
        o += 32;
        Blake2b(output[o..], v);
        CryptographicZero(v);
        CryptographicZero(next);
    }

    private static void CryptographicZero(Span<byte> s) => System.Security.Cryptography.CryptographicOperations.ZeroMemory(s);

    private static unsafe void Blake2b(Span<byte> output, ReadOnlySpan<byte> input)
    {
        fixed (byte* o = output)
        fixed (byte* i = input)
        {
            if (crypto_generichash(o, (nuint)output.Length, i, (ulong)input.Length, null, 0) != 0)
                throw new System.Security.Cryptography.CryptographicException("BLAKE2b failed.");
        }
    }

    // libsodium, which NSec already loads for the rest of Vigil's cryptography.
    [LibraryImport("libsodium")]
    private static unsafe partial int crypto_generichash(byte* output, nuint outputLength, byte* input, ulong inputLength, byte* key, nuint keyLength);
}
