import { describe, expect, it } from 'vitest'
import { failingPairs, pickTextColor } from './palette'

describe('palette', () => {
    it('picks white text on dark backgrounds and black on light ones', () => {
        expect(pickTextColor('#1a237e').color).toBe('#ffffff')
        expect(pickTextColor('#fff59d').color).toBe('#000000')
        expect(pickTextColor('#1a237e', ['#9e9e9e', '#e0e0e0']).color).toBe('#e0e0e0')
    })

    it('lists token pairs that fail AA', () => {
        expect(failingPairs([['#000000', '#ffffff'], ['#aaaaaa', '#ffffff']])).toEqual(['#aaaaaa on #ffffff'])
    })
})
