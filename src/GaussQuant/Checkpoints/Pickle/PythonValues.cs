using System.Numerics;

namespace GaussQuant.Checkpoints.Pickle;

/// <summary>Short descriptions of unpickled values for error messages (never their full contents).</summary>
internal static class PythonValues
{
    public static string Describe(object? value) => value switch
    {
        null => "None",
        bool flag => flag ? "True" : "False",
        long integer => $"int {integer}",
        BigInteger big => $"int of {big.GetBitLength()} bits", // printing a huge integer in decimal takes quadratic time
        double number => $"float {number}",
        string text => text.Length <= 40 ? $"str '{text}'" : $"str of {text.Length} characters",
        byte[] bytes => $"bytes of length {bytes.Length}",
        List<object?> list => $"list of {list.Count}",
        _ => value.ToString() ?? value.GetType().Name,
    };

    /// <summary>The value as an Int64 when it is a Python int (or bool) that fits; null otherwise.</summary>
    public static long? AsInt64(object? value) => value switch
    {
        long integer => integer,
        bool flag => flag ? 1 : 0,
        BigInteger big when big >= long.MinValue && big <= long.MaxValue => (long)big,
        _ => null,
    };
}
