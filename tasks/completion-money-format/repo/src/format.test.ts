import { describe, expect, it } from 'vitest';
import { groupThousands } from './format';

describe('groupThousands', () => {
    it('groups from the right', () => {
        expect(groupThousands('1234567', ',')).toBe('1,234,567');
    });

    it('leaves short numbers alone', () => {
        expect(groupThousands('999', ',')).toBe('999');
        expect(groupThousands('0', ' ')).toBe('0');
    });
});
