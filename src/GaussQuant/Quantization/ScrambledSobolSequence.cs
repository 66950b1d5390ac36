using System.Numerics;
using System.Runtime.CompilerServices;
using TorchSharp;

namespace GaussQuant.Quantization;

/// <summary>
/// The scrambled Sobol sequence of PyTorch's <c>torch.quasirandom.SobolEngine(dimension, scramble=True, seed)</c>,
/// reproduced bit for bit: Joe-Kuo direction numbers with 30 bits, a linear matrix scramble and a random digital
/// shift (Owen 1998) whose bits come from a CPU <see cref="torch.Generator"/> seeded like PyTorch's, and points in
/// Gray-code order. Row 0 is the shift itself; row n is the shift XOR the direction numbers selected by the set
/// bits of gray(n) = n ^ (n >> 1), which is what the engine's incremental draw accumulates.
/// </summary>
internal sealed class ScrambledSobolSequence
{
    /// <summary>Bits per coordinate (the engine's MAXBIT); coordinates are integers below 2^30.</summary>
    public const int Bits = 30;

    /// <summary>The largest row count the sequence can index before Gray codes run out of direction numbers.</summary>
    public const long MaxRows = 1L << Bits;

    private const float Scale = 1.0f / (1 << Bits);

    private readonly int[] directionNumbers; // [bit, dimension]: the coordinate-wise XOR for each Gray-code bit
    private readonly int[] shift;

    public ScrambledSobolSequence(int dimension, int seed)
    {
        if (dimension is < 1 or > JoeKuoDirectionNumbers.MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension,
                $"the Sobol dimension must be between 1 and {JoeKuoDirectionNumbers.MaxDimension}");
        Dimension = dimension;

        int[] initial = InitialDirectionNumbers(dimension);
        (shift, int[][] scrambleRows) = DrawScramble(dimension, seed);
        directionNumbers = new int[Bits * dimension];
        for (int d = 0; d < dimension; d++)
            for (int bit = 0; bit < Bits; bit++)
                directionNumbers[bit * dimension + d] = Scramble(initial[d * Bits + bit], scrambleRows[d]);
    }

    public int Dimension { get; }

    /// <summary>The random digital shift of each coordinate, as a 30-bit integer (row 0 of the sequence).</summary>
    public ReadOnlySpan<int> Shift => shift;

    /// <summary>
    /// Writes rows [firstRow, firstRow + rowCount) as float32 uniforms in [0, 1], row-major. Like the engine,
    /// the 30-bit integer is rounded to float32 first and then scaled by 2^-30 (exact), so coordinates within
    /// 32 of 2^30 become exactly 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called a few times per codebook; see Codebook.ToNormal
    public void Fill(long firstRow, int rowCount, Span<float> destination)
    {
        if (firstRow < 0 || rowCount < 0 || firstRow + rowCount > MaxRows)
            throw new ArgumentOutOfRangeException(nameof(rowCount), $"rows [{firstRow}, {firstRow + rowCount}) are outside [0, 2^{Bits})");
        if (destination.Length != rowCount * Dimension)
            throw new ArgumentException($"{rowCount} rows of {Dimension} need {rowCount * Dimension} values, not {destination.Length}", nameof(destination));
        if (rowCount == 0)
            return;

        Span<int> point = stackalloc int[Dimension];
        shift.CopyTo(point);
        for (long gray = firstRow ^ (firstRow >> 1); gray != 0; gray &= gray - 1)
            XorInto(point, BitOperations.TrailingZeroCount(gray));

        for (int i = 0; i < rowCount; i++)
        {
            if (i > 0)
                XorInto(point, BitOperations.TrailingZeroCount(firstRow + i));
            Span<float> row = destination.Slice(i * Dimension, Dimension);
            for (int d = 0; d < point.Length; d++)
                row[d] = point[d] * Scale;
        }
    }

    /// <summary>
    /// The unscrambled direction numbers, [dimension, bit], each already shifted to its place in a 30-bit integer
    /// (what <c>torch._sobol_engine_initialize_state_</c> builds): the first dimension is van der Corput's, the
    /// others extend their Joe-Kuo initial numbers m_1..m_s with the Bratley-Fox recurrence of their polynomial.
    /// </summary>
    internal static int[] InitialDirectionNumbers(int dimension)
    {
        var state = new int[dimension * Bits];
        Span<int> numbers = stackalloc int[Bits];
        for (int d = 0; d < dimension; d++)
        {
            if (d == 0)
                numbers.Fill(1);
            else
                ExtendByRecurrence(JoeKuoDirectionNumbers.Polynomials[d], JoeKuoDirectionNumbers.InitialNumbers[d], numbers);
            for (int j = 0; j < Bits; j++)
                state[d * Bits + j] = numbers[j] << (Bits - 1 - j);
        }
        return state;
    }

    /// <summary>m_j = 2 a_1 m_(j-1) ^ 4 a_2 m_(j-2) ^ ... ^ 2^s m_(j-s) ^ m_(j-s), with a_k the polynomial's coefficient of x^(s-k).</summary>
    private static void ExtendByRecurrence(int polynomial, int[] initialNumbers, Span<int> numbers)
    {
        int degree = initialNumbers.Length;
        initialNumbers.CopyTo(numbers);
        for (int j = degree; j < numbers.Length; j++)
        {
            int value = numbers[j - degree] ^ (numbers[j - degree] << degree);
            for (int k = 1; k < degree; k++)
                if (((polynomial >> (degree - k)) & 1) != 0)
                    value ^= numbers[j - k] << k;
            numbers[j] = value;
        }
    }

    /// <summary>
    /// Draws the scramble exactly as <c>SobolEngine._scramble</c> does with a seeded CPU generator: first
    /// <c>randint(2, (dimension, 30))</c> for the shift (bit b has weight 2^b), then <c>randint(2, (dimension, 30, 30))</c>
    /// for lower-triangular matrices whose diagonal is forced to 1. Each matrix row p is returned packed as an
    /// integer whose bit 29 - k is entry (p, k), the form the scramble takes dot products with.
    /// </summary>
    private static (int[] Shift, int[][] MatrixRows) DrawScramble(int dimension, int seed)
    {
        // PyTorch's Generator.manual_seed takes a negative seed as its 64-bit two's complement.
        using var generator = new torch.Generator(unchecked((ulong)(long)seed));
        using var shiftBits = torch.randint(2, [dimension, Bits], generator: generator);
        using var matrixBits = torch.randint(2, [dimension, Bits, Bits], generator: generator);
        ReadOnlySpan<long> shiftData = shiftBits.data<long>().ToArray();
        ReadOnlySpan<long> matrixData = matrixBits.data<long>().ToArray();

        var shift = new int[dimension];
        var matrixRows = new int[dimension][];
        for (int d = 0; d < dimension; d++)
        {
            for (int bit = 0; bit < Bits; bit++)
                shift[d] |= (int)shiftData[d * Bits + bit] << bit;

            matrixRows[d] = new int[Bits];
            for (int p = 0; p < Bits; p++)
            {
                int packed = 1 << (Bits - 1 - p);
                for (int k = 0; k < p; k++)
                    packed |= (int)matrixData[(d * Bits + p) * Bits + k] << (Bits - 1 - k);
                matrixRows[d][p] = packed;
            }
        }
        return (shift, matrixRows);
    }

    /// <summary>Multiplies a direction number, read as a bit vector from its most significant bit, by the matrix over GF(2).</summary>
    private static int Scramble(int directionNumber, int[] matrixRows)
    {
        int scrambled = 0;
        for (int p = 0; p < Bits; p++)
            scrambled |= (BitOperations.PopCount((uint)(matrixRows[p] & directionNumber)) & 1) << (Bits - 1 - p);
        return scrambled;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void XorInto(Span<int> point, int bit)
    {
        ReadOnlySpan<int> numbers = directionNumbers.AsSpan(bit * Dimension, Dimension);
        for (int d = 0; d < point.Length; d++)
            point[d] ^= numbers[d];
    }
}
