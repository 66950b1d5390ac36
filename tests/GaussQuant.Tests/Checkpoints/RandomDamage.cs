namespace GaussQuant.Tests.Checkpoints;

/// <summary>Damage for robustness tests: a copy cut at a random length, or with one to three random bytes overwritten.</summary>
internal static class RandomDamage
{
    public static byte[] Apply(byte[] original, Random random, bool truncate)
    {
        if (truncate) return original[..random.Next(original.Length)];
        byte[] damaged = (byte[])original.Clone();
        for (int flips = random.Next(1, 4); flips > 0; flips--) damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
        return damaged;
    }
}
