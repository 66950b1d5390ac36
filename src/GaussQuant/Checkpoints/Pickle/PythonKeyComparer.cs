using System.Numerics;
using System.Runtime.CompilerServices;

namespace GaussQuant.Checkpoints.Pickle;

/// <summary>
/// Dictionary-key equality as Python defines it for the values a pickle can build: strings and bytes by content,
/// numbers by value across int, bool and float (1 == 1.0 == True), tuples element-wise, other objects by identity.
/// Every hash costs O(1) per element, and keys too long to compare cheaply (over <see cref="MaxContentKeyLength"/>
/// characters or bytes, integers beyond 64 bits) compare by identity, so a hostile pickle cannot make dictionary
/// building slow; real checkpoints never use such keys.
/// </summary>
internal sealed class PythonKeyComparer : IEqualityComparer<object>
{
    /// <summary>Stands for Python's None as a key (.NET dictionaries do not accept null keys).</summary>
    public static readonly object NoneKey = new();

    public static readonly PythonKeyComparer Instance = new();

    private const int MaxContentKeyLength = 1024;
    private const int HashedPrefixLength = 32;
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
        string text when text.Length <= MaxContentKeyLength =>
            HashCode.Combine(text.Length, string.GetHashCode(text.AsSpan(0, Math.Min(text.Length, HashedPrefixLength)), StringComparison.Ordinal)),
        byte[] bytes when bytes.Length <= MaxContentKeyLength => HashBytes(bytes),
        PythonTuple tuple => tuple.Hash,
        bool or long or double => NumericHash(key),
        _ => RuntimeHelpers.GetHashCode(key),
    };

    private static bool AreEqual(object? x, object? y, int depth)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null) return false;
        if (depth > MaxTupleDepth) throw new InvalidDataException("tuples used as dictionary keys are nested too deeply");
        return (x, y) switch
        {
            (string a, string b) => a.Length <= MaxContentKeyLength && string.Equals(a, b, StringComparison.Ordinal),
            (byte[] a, byte[] b) => a.Length <= MaxContentKeyLength && a.AsSpan().SequenceEqual(b),
            (PythonTuple a, PythonTuple b) => a.Hash == b.Hash && a.Count == b.Count
                && a.Items.Zip(b.Items).All(pair => AreEqual(pair.First, pair.Second, depth + 1)),
            _ when IsNumber(x) && IsNumber(y) => NumericEquals(x, y),
            _ => false,
        };
    }

    private static int HashBytes(byte[] bytes)
    {
        var hash = new HashCode();
        hash.Add(bytes.Length);
        hash.AddBytes(bytes.AsSpan(0, Math.Min(bytes.Length, HashedPrefixLength)));
        return hash.ToHashCode();
    }

    private static bool IsNumber(object value) => value is bool or long or double;

    private static bool NumericEquals(object x, object y) => (x, y) switch
    {
        (double a, double b) => a == b,
        (double a, _) => a == ToInteger(y),
        (_, double b) => ToInteger(x) == b,
        _ => ToInteger(x) == ToInteger(y),
    };

    private static long ToInteger(object number) => number is bool flag ? (flag ? 1 : 0) : (long)number;

    /// <summary>Equal numbers hash alike: an integral float hashes as the integer it equals.</summary>
    private static int NumericHash(object number) => number switch
    {
        double value when value >= long.MinValue && value < long.MaxValue && Math.Floor(value) == value => ((long)value).GetHashCode(),
        double value => value.GetHashCode(),
        _ => ToInteger(number).GetHashCode(),
    };
}
