using System.Text;

namespace Permits.Certificate.Documents;

/// <summary>
/// A QR code (ISO/IEC 18004, model 2) of a text in byte mode: the smallest version that holds it at the error
/// correction asked for, raised to the highest level that still fits that version (a stronger code at no size), and the
/// mask of lowest penalty (the standard's four rules). ASCII goes as it is; other text as UTF-8 behind an ECI 26 header.
/// Written here rather than taken from QRCoder: QRCoder's mask scoring walked the matrix module by module eight times
/// and was most of the code's cost, a tenth of every document's; here a mask is scored in a few passes over rows and
/// columns of bytes. The tests decode it with ZXing.
/// </summary>
public sealed class QrCode
{
    private readonly byte[] _modules;

    private QrCode(int size, byte[] modules)
    {
        Size = size;
        _modules = modules;
    }

    /// <summary>Modules per side, without the quiet zone.</summary>
    public int Size { get; }

    public bool this[int row, int column] => _modules[row * Size + column] != 0;

    public static QrCode Encode(string text, QrErrorCorrection minimum = QrErrorCorrection.Medium)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var eci = bytes.Length != text.Length;
        int BitsFor(int version) => (eci ? 12 : 0) + 4 + (version <= 9 ? 8 : 16) + 8 * bytes.Length;

        var version = 1;
        while (version <= 40 && BitsFor(version) > DataCodewords(version, minimum) * 8)
        {
            version++;
        }

        if (version > 40)
        {
            throw new ArgumentException($"Text of {bytes.Length} bytes does not fit a QR code at level {minimum}.", nameof(text));
        }

        var level = minimum;
        for (var higher = minimum + 1; higher <= QrErrorCorrection.High; higher++)
        {
            if (BitsFor(version) <= DataCodewords(version, higher) * 8)
            {
                level = higher;
            }
        }

        var data = new BitWriter(DataCodewords(version, level));
        if (eci)
        {
            data.Write(0b0111, 4);
            data.Write(26, 8);
        }

        data.Write(0b0100, 4);
        data.Write(bytes.Length, version <= 9 ? 8 : 16);
        foreach (var b in bytes)
        {
            data.Write(b, 8);
        }

        data.Finish();
        var symbol = new Symbol(version);
        symbol.DrawFunctionPatterns();
        symbol.DrawCodewords(Interleave(data.Bytes, version, level));
        symbol.Mask(symbol.BestMask(level), level);
        return new QrCode(symbol.Size, symbol.Modules);
    }

    // ISO/IEC 18004 table 9, by level (L, M, Q, H) and version (index 0 unused).
    private static readonly byte[][] EccPerBlock =
    [
        [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ];

    private static readonly byte[][] Blocks =
    [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ];

    /// <summary>The modules left for codewords once the function patterns, format and version areas are drawn.</summary>
    private static int RawDataModules(int version)
    {
        var modules = (16 * version + 128) * version + 64;
        if (version >= 2)
        {
            var alignments = version / 7 + 2;
            modules -= (25 * alignments - 10) * alignments - 55;
            if (version >= 7)
            {
                modules -= 36;
            }
        }

        return modules;
    }

    private static int DataCodewords(int version, QrErrorCorrection level) =>
        RawDataModules(version) / 8 - EccPerBlock[(int)level][version] * Blocks[(int)level][version];

    /// <summary>The data split into blocks (the short ones first), each followed by its Reed–Solomon codewords, interleaved.</summary>
    private static byte[] Interleave(byte[] data, int version, QrErrorCorrection level)
    {
        var blockCount = Blocks[(int)level][version];
        var eccLength = EccPerBlock[(int)level][version];
        var total = RawDataModules(version) / 8;
        var shortBlocks = blockCount - total % blockCount;
        var shortLength = total / blockCount - eccLength;
        var generator = ReedSolomon.Generator(eccLength);
        var result = new byte[total];
        var ecc = new byte[eccLength];
        var offset = 0;
        for (var block = 0; block < blockCount; block++)
        {
            var length = shortLength + (block < shortBlocks ? 0 : 1);
            var part = data.AsSpan(offset, length);
            // Data codeword i of each block in turn; a long block's extra codeword after the short blocks' last.
            for (var i = 0; i < length; i++)
            {
                result[i < shortLength ? i * blockCount + block : shortLength * blockCount + block - shortBlocks] = part[i];
            }

            ReedSolomon.Remainder(part, generator, ecc);
            var eccStart = data.Length;
            for (var i = 0; i < eccLength; i++)
            {
                result[eccStart + i * blockCount + block] = ecc[i];
            }

            offset += length;
        }

        return result;
    }

    private sealed class BitWriter(int capacity)
    {
        public byte[] Bytes { get; } = new byte[capacity];

        private int _bits;

        public void Write(int value, int count)
        {
            for (var i = count - 1; i >= 0; i--, _bits++)
            {
                Bytes[_bits >> 3] |= (byte)(((value >> i) & 1) << (7 - (_bits & 7)));
            }
        }

        /// <summary>The terminator (up to four zero bits), zeros to a byte, then the pad bytes 0xEC 0x11 to capacity.</summary>
        public void Finish()
        {
            _bits = Math.Min(_bits + 4, Bytes.Length * 8);
            for (var i = (_bits + 7) >> 3; i < Bytes.Length; i++)
            {
                Bytes[i] = (i - ((_bits + 7) >> 3)) % 2 == 0 ? (byte)0xEC : (byte)0x11;
            }
        }
    }

    /// <summary>Reed–Solomon over GF(256) with the QR polynomial x⁸+x⁴+x³+x²+1.</summary>
    private static class ReedSolomon
    {
        private static readonly byte[] Exp = new byte[512];
        private static readonly byte[] Log = new byte[256];

        static ReedSolomon()
        {
            var x = 1;
            for (var i = 0; i < 255; i++)
            {
                Exp[i] = Exp[i + 255] = (byte)x;
                Log[x] = (byte)i;
                x <<= 1;
                if (x >= 256)
                {
                    x ^= 0x11D;
                }
            }
        }

        private static byte Multiply(byte a, byte b) => a == 0 || b == 0 ? (byte)0 : Exp[Log[a] + Log[b]];

        /// <summary>The coefficients of (x − α⁰)…(x − αⁿ⁻¹) below the leading 1, highest first.</summary>
        public static byte[] Generator(int degree)
        {
            var coefficients = new byte[degree];
            coefficients[degree - 1] = 1;
            byte root = 1;
            for (var i = 0; i < degree; i++)
            {
                for (var j = 0; j < degree; j++)
                {
                    coefficients[j] = Multiply(coefficients[j], root);
                    if (j + 1 < degree)
                    {
                        coefficients[j] ^= coefficients[j + 1];
                    }
                }

                root = Multiply(root, 2);
            }

            return coefficients;
        }

        public static void Remainder(ReadOnlySpan<byte> data, byte[] generator, Span<byte> remainder)
        {
            remainder.Clear();
            foreach (var b in data)
            {
                var factor = (byte)(b ^ remainder[0]);
                remainder[1..].CopyTo(remainder);
                remainder[^1] = 0;
                if (factor != 0)
                {
                    var logFactor = Log[factor];
                    for (var i = 0; i < generator.Length; i++)
                    {
                        if (generator[i] != 0)
                        {
                            remainder[i] ^= Exp[Log[generator[i]] + logFactor];
                        }
                    }
                }
            }
        }
    }

    /// <summary>The matrix being built: modules (1 dark) and which of them are function patterns, row by row.</summary>
    private sealed class Symbol
    {
        private readonly int _version;
        private readonly bool[] _function;

        public Symbol(int version)
        {
            _version = version;
            Size = 4 * version + 17;
            Modules = new byte[Size * Size];
            _function = new bool[Size * Size];
        }

        public int Size { get; }

        public byte[] Modules { get; }

        private void Set(int row, int column, bool dark)
        {
            Modules[row * Size + column] = dark ? (byte)1 : (byte)0;
            _function[row * Size + column] = true;
        }

        public void DrawFunctionPatterns()
        {
            for (var i = 0; i < Size; i++)
            {
                Set(6, i, i % 2 == 0);
                Set(i, 6, i % 2 == 0);
            }

            DrawFinder(3, 3);
            DrawFinder(3, Size - 4);
            DrawFinder(Size - 4, 3);

            var centres = AlignmentCentres();
            for (var i = 0; i < centres.Length; i++)
            {
                for (var j = 0; j < centres.Length; j++)
                {
                    var corner = (i == 0 && j == 0) || (i == 0 && j == centres.Length - 1) || (i == centres.Length - 1 && j == 0);
                    if (!corner)
                    {
                        for (var dr = -2; dr <= 2; dr++)
                        {
                            for (var dc = -2; dc <= 2; dc++)
                            {
                                Set(centres[i] + dr, centres[j] + dc, Math.Max(Math.Abs(dr), Math.Abs(dc)) != 1);
                            }
                        }
                    }
                }
            }

            // Reserved now, written with the mask.
            DrawFormat(0);
            if (_version >= 7)
            {
                var remainder = _version;
                for (var i = 0; i < 12; i++)
                {
                    remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25);
                }

                var bits = (_version << 12) | remainder;
                for (var i = 0; i < 18; i++)
                {
                    var dark = ((bits >> i) & 1) != 0;
                    Set(i / 3, Size - 11 + i % 3, dark);
                    Set(Size - 11 + i % 3, i / 3, dark);
                }
            }
        }

        private void DrawFinder(int row, int column)
        {
            for (var dr = -4; dr <= 4; dr++)
            {
                for (var dc = -4; dc <= 4; dc++)
                {
                    var r = row + dr;
                    var c = column + dc;
                    if (r >= 0 && r < Size && c >= 0 && c < Size)
                    {
                        var ring = Math.Max(Math.Abs(dr), Math.Abs(dc));
                        Set(r, c, ring != 2 && ring != 4);
                    }
                }
            }
        }

        private int[] AlignmentCentres()
        {
            if (_version == 1)
            {
                return [];
            }

            var count = _version / 7 + 2;
            var step = (_version * 8 + count * 3 + 5) / (count * 4 - 4) * 2;
            var centres = new int[count];
            centres[0] = 6;
            for (int i = count - 1, position = Size - 7; i >= 1; i--, position -= step)
            {
                centres[i] = position;
            }

            return centres;
        }

        /// <summary>The 15 format bits (level and mask, BCH-protected, XOR 0x5412), both copies, and the dark module.</summary>
        private void DrawFormat(int bits)
        {
            bool Bit(int i) => ((bits >> i) & 1) != 0;
            for (var i = 0; i <= 5; i++)
            {
                Set(i, 8, Bit(i));
            }

            Set(7, 8, Bit(6));
            Set(8, 8, Bit(7));
            Set(8, 7, Bit(8));
            for (var i = 9; i < 15; i++)
            {
                Set(8, 14 - i, Bit(i));
            }

            for (var i = 0; i < 8; i++)
            {
                Set(8, Size - 1 - i, Bit(i));
            }

            for (var i = 8; i < 15; i++)
            {
                Set(Size - 15 + i, 8, Bit(i));
            }

            Set(Size - 8, 8, true);
        }

        private static int FormatBits(QrErrorCorrection level, int mask)
        {
            // The two level bits are L 01, M 00, Q 11, H 10.
            var data = ((int)level ^ 1) << 3 | mask;
            var remainder = data;
            for (var i = 0; i < 10; i++)
            {
                remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537);
            }

            return ((data << 10) | remainder) ^ 0x5412;
        }

        /// <summary>The codewords' bits in the two-column zigzag from the bottom right, around the function patterns.</summary>
        public void DrawCodewords(byte[] codewords)
        {
            var bit = 0;
            for (var right = Size - 1; right >= 1; right -= 2)
            {
                if (right == 6)
                {
                    right = 5;
                }

                var upward = ((right + 1) & 2) == 0;
                for (var step = 0; step < Size; step++)
                {
                    var row = upward ? Size - 1 - step : step;
                    for (var j = 0; j < 2; j++)
                    {
                        var index = row * Size + right - j;
                        if (!_function[index] && bit < codewords.Length * 8)
                        {
                            Modules[index] = (byte)((codewords[bit >> 3] >> (7 - (bit & 7))) & 1);
                            bit++;
                        }
                    }
                }
            }
        }

        /// <summary>XORs the mask onto the data modules (twice undoes it) and writes the format bits for it.</summary>
        public void Mask(int mask, QrErrorCorrection level)
        {
            var pattern = MaskPattern(mask);
            var modules = Modules.AsSpan();
            var width = System.Numerics.Vector<byte>.Count;
            var i = 0;
            for (; i + width <= modules.Length; i += width)
            {
                (new System.Numerics.Vector<byte>(modules[i..]) ^ new System.Numerics.Vector<byte>(pattern.AsSpan(i))).CopyTo(modules[i..]);
            }

            for (; i < modules.Length; i++)
            {
                modules[i] ^= pattern[i];
            }

            DrawFormat(FormatBits(level, mask));
        }

        // Per version and mask: 1 where the mask flips a data module. The same for every code of a version, so made once.
        private static readonly byte[]?[] Patterns = new byte[]?[41 * 8];

        private byte[] MaskPattern(int mask)
        {
            if (Patterns[_version * 8 + mask] is { } known)
            {
                return known;
            }

            var pattern = new byte[Size * Size];
            for (var row = 0; row < Size; row++)
            {
                for (var column = 0; column < Size; column++)
                {
                    var masked = mask switch
                    {
                        0 => (row + column) % 2 == 0,
                        1 => row % 2 == 0,
                        2 => column % 3 == 0,
                        3 => (row + column) % 3 == 0,
                        4 => (row / 2 + column / 3) % 2 == 0,
                        5 => row * column % 2 + row * column % 3 == 0,
                        6 => (row * column % 2 + row * column % 3) % 2 == 0,
                        _ => ((row + column) % 2 + row * column % 3) % 2 == 0,
                    };
                    pattern[row * Size + column] = masked && !_function[row * Size + column] ? (byte)1 : (byte)0;
                }
            }

            // Whole and immutable once stored: a thread that races here stores an equal array.
            Patterns[_version * 8 + mask] = pattern;
            return pattern;
        }

        public int BestMask(QrErrorCorrection level)
        {
            var best = 0;
            var lowest = int.MaxValue;
            for (var mask = 0; mask < 8; mask++)
            {
                Mask(mask, level);
                var penalty = Penalty();
                if (penalty < lowest)
                {
                    lowest = penalty;
                    best = mask;
                }

                Mask(mask, level);
            }

            return best;
        }

        /// <summary>
        /// The standard's penalty: 3 + (n − 5) per run of n ≥ 5 same-coloured modules in a row or column; 3 per 2×2 block
        /// of one colour; 40 per 1:1:3:1:1 finder-like pattern with four light modules on a side (outside the symbol is
        /// light); 10 per whole 5% the dark share is off 50%.
        /// </summary>
        private int Penalty()
        {
            var size = Size;
            var modules = Modules;
            var penalty = 0;
            var dark = 0;
            // Indexed by the run's length so far, capped at 6: 3 at the fifth module, 1 for each after (no branch).
            ReadOnlySpan<byte> runPenalty = [0, 0, 0, 0, 0, 3, 1];
            for (var line = 0; line < size; line++)
            {
                // Once along row `line`, once down column `line`.
                for (var direction = 0; direction < 2; direction++)
                {
                    var start = direction == 0 ? line * size : line;
                    var stride = direction == 0 ? 1 : size;
                    var run = 0;
                    var previous = -1;
                    // The last 11 modules seen; before the line, light (the quiet zone).
                    var window = 0;
                    for (var i = 0; i < size; i++)
                    {
                        int module = modules[start + i * stride];
                        run = run * (module == previous ? 1 : 0) + 1;
                        penalty += runPenalty[Math.Min(run, 6)];
                        previous = module;
                        window = ((window << 1) | module) & 0x7FF;
                        if (window is 0b10111010000 or 0b00001011101)
                        {
                            penalty += 40;
                        }
                    }

                    // The quiet zone after the line: a pattern within four modules of the edge.
                    for (var i = 0; i < 4; i++)
                    {
                        window = (window << 1) & 0x7FF;
                        if (window == 0b10111010000)
                        {
                            penalty += 40;
                        }
                    }
                }
            }

            ReadOnlySpan<byte> blockPenalty = [3, 0, 0, 0, 3];
            for (var row = 0; row < size; row++)
            {
                var index = row * size;
                for (var column = 0; column < size; column++, index++)
                {
                    dark += modules[index];
                    if (row + 1 < size && column + 1 < size)
                    {
                        penalty += blockPenalty[modules[index] + modules[index + 1] + modules[index + size] + modules[index + size + 1]];
                    }
                }
            }

            var total = size * size;
            var deviation = (Math.Abs(dark * 20 - total * 10) + total - 1) / total - 1;
            return penalty + deviation * 10;
        }
    }
}

/// <summary>QR error correction levels, weakest first: about 7, 15, 25 and 30% of codewords recoverable.</summary>
public enum QrErrorCorrection
{
    Low,
    Medium,
    Quartile,
    High,
}
