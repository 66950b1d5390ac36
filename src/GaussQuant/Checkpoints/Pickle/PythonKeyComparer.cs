using System.Numerics;

namespace GaussQuant.Checkpoints.Pickle;

/// <summary>
/// Dictionary-key equality as Python defines it for the values a pickle can build: strings and bytes by content,
/// numbers by value across int, bool and float (1 == 1.0 == True), tuples element-wise, other objects by identity.
/// </summary>
internal sealed class PythonKeyComparer : IEqualityComparer<object>
{
    /// <summary>Stands for Python's None as a key (.NET dictionaries do not accept null keys).</summary>
    public static readonly object NoneKey = new();

    public static readonly PythonKeyComparer Instance = new();

    private const int MaxTupleDepth = 100;

    public static bool IsHashable(object? key) => key switch
    {
        List<object?> or PythonDict => false,
        PythonTuple tuple => tuple.IsHashable,
        _ => true,
    };

    public new bool Equals(object? x, object? y) => AreEqual(x, y, 0);

    public int GetHashCode(object key) => key switch
    {
        string text => StringComparer.Ordinal.GetHashCode(text),
        byte[] bytes => bytes.Length == 0 ? 0 : HashCode.Combine(bytes.Length, bytes[0], bytes[^1]),
        PythonTuple tuple => tuple.Hash,
        bool or long or BigInteger or double => NumericHash(key),
        _ => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key),
    };

    private static bool AreEqual(object? x, object? y, int depth)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null) return false;
        if (depth > MaxTupleDepth) throw new InvalidDataException("tuples used as dictionary keys are nested too deeply");
        return (x, y) switch
        {
            (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
            (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
            (PythonTuple a, PythonTuple b) => a.Hash == b.Hash && a.Count == b.Count
                && a.Items.Zip(b.Items).All(pair => AreEqual(pair.First, pair.Second, depth + 1)),
            _ when IsNumber(x) && IsNumber(y) => NumericEquals(x, y),
            _ => false,
        };
    }

    private static bool IsNumber(object value) => value is bool or long or BigInteger or double;

    private static bool NumericEquals(object x, object y)
    {
        if (x is double || y is double) return ToDouble(x) == ToDouble(y) && (x is double || IsExact(y)) && (y is double || IsExact(x));
        return ToBigInteger(x) == ToBigInteger(y);
    }

    // An integer equals a float only when the float is integral and the integer converts to it exactly.
    private static bool IsExact(object number) => number is double value
        ? Math.Floor(value) == value && !double.IsInfinity(value)
        : (BigInteger)ToDouble(number) == ToBigInteger(number);

    private static int NumericHash(object number)
    {
        if (number is double value && (Math.Floor(value) != value || double.IsInfinity(value))) return value.GetHashCode();
        var integer = number is double whole ? new BigInteger(whole) : ToBigInteger(number);
        return integer.GetHashCode();
    }

    private static double ToDouble(object number) => number switch
    {
        bool flag => flag ? 1 : 0,
        long integer => integer,
        BigInteger big => (double)big,
        _ => (double)number,
    };

    private static BigInteger ToBigInteger(object number) => number switch
    {
        bool flag => flag ? 1 : 0,
        long integer => integer,
        _ => (BigInteger)number,
    };
}
